#!/usr/bin/env bash
# Entrypoint of the Asterisk container of docker/compose.yml: renders the Attendant
# configuration into /etc/asterisk, then hands over to the image's own entrypoint.
#
# Asterisk does not expand environment variables in its .conf files, so every secret in
# asterisk-conf/ is a placeholder ${NAME} (the syntax envsubst understands). This script
# replaces exactly the names of PLACEHOLDERS below, and nothing else: the dialplan's own
# ${VARIABLES} are never touched (dialplan files are copied as they are). It uses bash
# rather than envsubst because slim images rarely ship gettext, and because a value must be
# escaped for Asterisk (";" starts a comment there). It refuses to start when a value is
# unset, empty, still CHANGE_ME or spans lines, and when a conf file keeps a placeholder
# this list does not know.
#
# Paths can be moved for a dry run:
#   ATTENDANT_CONF_SRC, ATTENDANT_DIALPLAN_SRC (inputs), ASTERISK_CONF_DIR (output),
#   ATTENDANT_NEXT_ENTRYPOINT (what runs "$@" afterwards; the andrius/asterisk one by default).
set -euo pipefail

CONF_SRC="${ATTENDANT_CONF_SRC:-/opt/attendant/asterisk-conf}"
DIALPLAN_SRC="${ATTENDANT_DIALPLAN_SRC:-/opt/attendant/dialplan}"
DEST="${ASTERISK_CONF_DIR:-/etc/asterisk}"
NEXT="${ATTENDANT_NEXT_ENTRYPOINT:-/usr/local/bin/entrypoint.sh}"

PLACEHOLDERS=(
  ATTENDANT_ARI_PASSWORD
  ATTENDANT_AMI_PASSWORD
  ATTENDANT_SIP_ATT1_PASSWORD
  ATTENDANT_SIP_ATT2_PASSWORD
  ATTENDANT_SIP_ATT3_PASSWORD
  ATTENDANT_SIP_ATT4_PASSWORD
  ATTENDANT_SIP_BELL_PASSWORD
  ATTENDANT_SIP_DEMO_PASSWORD
  ATTENDANT_TRUNK_HOST
  ATTENDANT_TRUNK_USER
  ATTENDANT_TRUNK_PASSWORD
  ATTENDANT_VM_PIN_2000
)

fail() {
  echo "attendant-entrypoint: $*" >&2
  exit 1
}

# Placeholders with a safe default: where ARI and AMI listen (loopback, for a controller on the
# same host) and the one other address (address/mask) AMI accepts besides loopback.
: "${ATTENDANT_ARI_BIND:=127.0.0.1}"
: "${ATTENDANT_AMI_BIND:=127.0.0.1}"
: "${ATTENDANT_AMI_PERMIT:=127.0.0.1/255.255.255.255}"
PLACEHOLDERS+=(ATTENDANT_ARI_BIND ATTENDANT_AMI_BIND ATTENDANT_AMI_PERMIT)

# ari.conf keeps only a hash of the ARI password (password_format=crypt): SHA-512 crypt, as
# `ari mkpasswd` makes it. Give ATTENDANT_ARI_PASSWORD_CRYPT yourself where openssl is missing.
if [ -z "${ATTENDANT_ARI_PASSWORD_CRYPT-}" ] && [ -n "${ATTENDANT_ARI_PASSWORD-}" ] && [ "${ATTENDANT_ARI_PASSWORD}" != "CHANGE_ME" ]; then
  command -v openssl >/dev/null 2>&1 || fail "openssl is needed to hash ATTENDANT_ARI_PASSWORD for ari.conf (or set ATTENDANT_ARI_PASSWORD_CRYPT, made with: openssl passwd -6)"
  ATTENDANT_ARI_PASSWORD_CRYPT="$(printf '%s\n' "$ATTENDANT_ARI_PASSWORD" | openssl passwd -6 -stdin)" || fail "openssl could not hash ATTENDANT_ARI_PASSWORD"
fi
PLACEHOLDERS+=(ATTENDANT_ARI_PASSWORD_CRYPT)

# the trunk: identified by the provider's address (pstn-identify), never by its user name alone
case "${ATTENDANT_TRUNK_HOST-}" in
  "" | CHANGE_ME) ;;
  *[[:space:]]* | *,* | *\;*) fail "ATTENDANT_TRUNK_HOST must be one host or IP (with :port when not 5060)" ;;
esac

for name in "${PLACEHOLDERS[@]}"; do
  value="${!name-}"
  [ -n "$value" ] || fail "$name is not set: put it in docker/.env (see docker/.env.example)"
  [ "$value" != "CHANGE_ME" ] || fail "$name is still CHANGE_ME in docker/.env"
  case "$value" in
    *$'\n'* | *$'\r'*) fail "$name spans several lines" ;;
  esac
done

[ -d "$CONF_SRC" ] || fail "no Asterisk configuration at $CONF_SRC (mount ../asterisk-conf)"
[ -d "$DIALPLAN_SRC" ] || fail "no dialplan at $DIALPLAN_SRC (mount ../dialplan)"
mkdir -p "$DEST"
# the rendered files hold secrets: not world-readable
umask 027

# render <source> <target>: the placeholders replaced, ";" escaped as "\;"
render() {
  local content name value
  content="$(cat "$1"; printf x)"
  content="${content%x}"
  for name in "${PLACEHOLDERS[@]}"; do
    value="${!name}"
    value="${value//;/\\;}"
    content="${content//"\${$name}"/"$value"}"
  done
  if [[ "$content" =~ \$\{(ATTENDANT_[A-Z0-9_]*)\} ]]; then
    fail "$1 uses \${${BASH_REMATCH[1]}}, which this entrypoint does not know: add it to PLACEHOLDERS, docker/.env.example and compose.yml"
  fi
  printf '%s' "$content" > "$2"
}

shopt -s nullglob
for src in "$CONF_SRC"/*.conf; do
  render "$src" "$DEST/$(basename "$src")"
done
for src in "$DIALPLAN_SRC"/*.conf; do
  cp "$src" "$DEST/$(basename "$src")"
done

if [ "$(id -u)" = "0" ] && id asterisk >/dev/null 2>&1; then
  chown asterisk:asterisk "$DEST"/*.conf
fi
echo "attendant-entrypoint: configuration rendered into $DEST" >&2

if [ -x "$NEXT" ]; then
  exec "$NEXT" "$@"
fi
exec "$@"
