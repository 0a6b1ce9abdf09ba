// Text messages the desk takes for an extension (a guest out of the room). Each message is a
// store document; the phone's message lamp follows the unread count through an ARI mailbox
// `<ext>@attendant` (PUT /mailboxes: new = unread, old = read), which the room's PJSIP endpoint
// shows with `mailboxes=<ext>@attendant` (asterisk-conf/pjsip_demo.conf, res_mwi_external).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CallContext } from '../context.ts';
import { OperationError, type TextMessage } from '../operations-port.ts';
import { DocCollection, EXTENSION } from './docs.ts';
import { checkQuota, siteNumbering } from '../numbering.ts';

export const MAX_MESSAGE_LENGTH = 500;
export const MAILBOX_CONTEXT = 'attendant';

const messageDoc = z.object({ id: z.string(), extension: z.string(), text: z.string(), by: z.string(), at: z.number(), read: z.boolean() });

export const mailboxOf = (extension: string): string => `${extension}@${MAILBOX_CONTEXT}`;

export class MessageService {
  private readonly docs: DocCollection<TextMessage>;

  constructor(private readonly ctx: CallContext) {
    this.docs = new DocCollection(ctx, 'message', messageDoc);
  }

  load(): Promise<void> {
    return this.docs.load();
  }

  list(extension: string): TextMessage[] {
    return [...this.docs.items.values()].filter((m) => m.extension === extension).sort((a, b) => a.at - b.at || a.id.localeCompare(b.id)).map((m) => ({ ...m }));
  }

  async leave(extension: string, text: string, by: string): Promise<TextMessage> {
    const { ctx } = this;
    if (!EXTENSION.test(extension)) throw new OperationError('invalid_target', `"${extension}" is not an extension number`);
    siteNumbering(ctx.config).extension(extension);
    const body = text.trim();
    if (!body || body.length > MAX_MESSAGE_LENGTH) throw new OperationError('invalid_value', `a message is 1 to ${MAX_MESSAGE_LENGTH} characters`);
    const drop = this.roomFor(extension);
    const b = ctx.ledger.batch();
    for (const id of drop) this.docs.remove(b, id);
    const now = ctx.time.now();
    const msg: TextMessage = { id: `m-${now.toString(36)}-${randomUUID().slice(0, 8)}`, extension, text: body, by, at: now, read: false };
    this.docs.put(b, msg.id, msg);
    b.log({ time: now, operator: by, action: 'message-left', numbers: [extension], result: 'ok', detail: { message: msg.id, length: String(body.length) } });
    await ctx.ledger.commit(b);
    await this.lamp(extension);
    return { ...msg };
  }

  async markRead(extension: string, id: string, by: string): Promise<void> {
    const { ctx } = this;
    const msg = this.docs.items.get(id);
    if (!msg || msg.extension !== extension) throw new OperationError('not_found', `no message "${id}" for ${extension}`);
    if (msg.read) return;
    const b = ctx.ledger.batch();
    this.docs.put(b, id, { ...msg, read: true });
    b.log({ time: ctx.time.now(), operator: by, action: 'message-read', numbers: [extension], result: 'ok', detail: { message: id } });
    await ctx.ledger.commit(b);
    await this.lamp(extension);
  }

  /**
   * The quotas before a new message: at quotas.messagesPerExtension the extension's oldest read
   * messages go (in the new message's batch) to make room; only unread ones refuse it. The total
   * counts every stored message. The ids to remove; nothing is changed before every check passed.
   */
  private roomFor(extension: string): string[] {
    const { quotas } = this.ctx.config;
    const mine = this.list(extension);
    const over = mine.length - quotas.messagesPerExtension + 1;
    const read = mine.filter((m) => m.read);
    if (over > read.length) checkQuota(quotas, 'messagesPerExtension', mine.length, `messages for ${extension} (${mine.length - read.length} unread)`);
    const drop = over > 0 ? read.slice(0, over).map((m) => m.id) : [];
    checkQuota(quotas, 'messages', this.docs.items.size - drop.length, 'messages');
    return drop;
  }

  /** after a start or a reconnect: every lamp as the documents say */
  rearm(): void {
    for (const ext of new Set([...this.docs.items.values()].map((m) => m.extension))) void this.lamp(ext);
  }

  /** the mailbox counts after a change: new = unread, old = read */
  private async lamp(extension: string): Promise<void> {
    const mine = this.list(extension);
    const unread = mine.filter((m) => !m.read).length;
    try {
      await this.ctx.ari.setMailbox(mailboxOf(extension), mine.length - unread, unread);
    } catch (err) {
      this.ctx.log.warn({ extension, err: (err as Error).message }, 'cannot update the message lamp');
    }
  }
}
