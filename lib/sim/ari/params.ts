// Shorthands for declaring route parameters.
import type { DataType, ParamSpec } from './route.ts';

export function pathParam(name: string, description: string): ParamSpec {
  return { name, paramType: 'path', dataType: 'string', required: true, description };
}

export function queryParam(name: string, dataType: DataType, description: string, extra: Partial<ParamSpec> = {}): ParamSpec {
  return { name, paramType: 'query', dataType, description, ...extra };
}

export function bodyParam(name: string, description: string, required = false, dataType: DataType = 'containers'): ParamSpec {
  return { name, paramType: 'body', dataType, description, ...(required ? { required } : {}) };
}

export const channelIdParam = pathParam('channelId', "Channel's id");
export const bridgeIdParam = pathParam('bridgeId', "Bridge's id");
