/**
 * The one Lua script every commit to Redis runs: Redis runs a script atomically, so the
 * version check, the writes and the publish to the other servers are one step, and no
 * other server's change can fall between them.
 *
 * Keys (P = prefix): P..'party' hash id → stored party JSON; P..'seq' hash id → event
 * number; P..'ver' hash id → version (server/party/party-versions.ts: the number alone does
 * not tell two servers' changes at one number apart); P..'seen:'..id hash peer → last
 * seen; P..'owners' hash peer → session token; P..'access' hash '<kind> <key>' → access
 * row (server/access/).
 *
 * ARGV[1] = prefix, ARGV[2] = the checks and rows as JSON:
 *   parties: [id, base, base version] (version '' from a store written before versions)
 *   owners:  [peer, token, from] with token '' (pruned); from: the owner it is taken from
 *            (a key-bound id reclaimed by its key's holder), '' for none
 *   seen:    [party, peer, iso time], written only for a member: its field exists, or
 *            (a member an older server let in) the stored party lists it
 *   joined:  [party, peer, iso time] members a party gained; left: [party, peer] it lost:
 *            a party's seen hash holds its members' fields and no one else's (SQLite's
 *            last_seen goes with the member's row); absent from an older server
 *   access:  ['<kind> <key>', value, base?] with value '' (deleted); base, when given, is
 *            the value the row must hold ('' absent), counting the batch's earlier rows
 * ARGV[3] .. ARGV[4] .. ARGV[5] = the message published to the other servers (replication.ts
 * changeParts), where ARGV[4] is its `parties`: [id, seq, value, version, base version], in
 * the order of ARGV[2]'s, value '' (deleted), '=' (unchanged) or the stored party JSON.
 * P..'commits' counts the commits; the message carries its count as `commit` (placed between
 * ARGV[4] and ARGV[5]) and reads take the count with them (store.ts), so a server can tell a
 * published change its last read of the party already held (party-versions.ts, readSince).
 * ARGV[6] = the channel it is published on (database.ts: P..'changes' in database 0).
 * Refuses with `CONFLICT <ids>` (writing nothing) when a party's number or version is not
 * its base, a peer id is owned by another token than the new one or the one it is taken
 * from, or an access row holds another value than its base (`access`).
 */
export const COMMIT_SCRIPT = `
local P = ARGV[1]
local b = cjson.decode(ARGV[2])
local moved = {}
for _, c in ipairs(b.parties) do
  local cur = tonumber(redis.call('HGET', P .. 'seq', c[1]) or '0')
  local ver = redis.call('HGET', P .. 'ver', c[1]) or ''
  if cur ~= c[2] or ver ~= c[3] then table.insert(moved, 'party:' .. c[1]) end
end
for _, o in ipairs(b.owners) do
  local cur = redis.call('HGET', P .. 'owners', o[1])
  if o[2] ~= '' and cur and cur ~= o[2] and cur ~= o[3] then table.insert(moved, 'peer:' .. o[1]) end
end
local staged = {}
for _, a in ipairs(b.access or {}) do
  if a[3] ~= nil then
    local cur = staged[a[1]]
    if cur == nil then cur = redis.call('HGET', P .. 'access', a[1]) or '' end
    if cur ~= a[3] then table.insert(moved, 'access') break end
  end
  staged[a[1]] = a[2]
end
if #moved > 0 then return redis.error_reply('CONFLICT ' .. table.concat(moved, ' ')) end
for _, c in ipairs(cjson.decode(ARGV[4])) do
  local id, value = c[1], c[3]
  if value == '' then
    redis.call('HDEL', P .. 'party', id)
    redis.call('HDEL', P .. 'seq', id)
    redis.call('HDEL', P .. 'ver', id)
    redis.call('DEL', P .. 'seen:' .. id)
  else
    if value ~= '=' then redis.call('HSET', P .. 'party', id, value) end
    if redis.call('HEXISTS', P .. 'party', id) == 1 then
      redis.call('HSET', P .. 'seq', id, c[2])
      redis.call('HSET', P .. 'ver', id, c[4])
    end
  end
end
for _, o in ipairs(b.owners) do
  if o[2] == '' then redis.call('HDEL', P .. 'owners', o[1])
  else redis.call('HSET', P .. 'owners', o[1], o[2]) end
end
for _, j in ipairs(b.joined or {}) do redis.call('HSET', P .. 'seen:' .. j[1], j[2], j[3]) end
local members = {}
local function member(id, peer)
  if members[id] == nil then
    local value = redis.call('HGET', P .. 'party', id)
    local ok, party = pcall(cjson.decode, value or '')
    members[id] = ok and type(party) == 'table' and type(party.peers) == 'table' and party.peers or false
  end
  return members[id] and members[id][peer] ~= nil
end
for _, t in ipairs(b.seen) do
  local key = P .. 'seen:' .. t[1]
  if redis.call('HEXISTS', key, t[2]) == 1 or member(t[1], t[2]) then
    redis.call('HSET', key, t[2], t[3])
  end
end
for _, l in ipairs(b.left or {}) do redis.call('HDEL', P .. 'seen:' .. l[1], l[2]) end
for _, a in ipairs(b.access or {}) do
  if a[2] == '' then redis.call('HDEL', P .. 'access', a[1])
  else redis.call('HSET', P .. 'access', a[1], a[2]) end
end
local n = redis.call('INCR', P .. 'commits')
redis.call('PUBLISH', ARGV[6], ARGV[3] .. ARGV[4] .. ',"commit":' .. n .. ARGV[5])
return 'OK'
`;

/** Renews the leader lock only while this server still holds it. */
export const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

/** Lets the lock go only if this server holds it. */
export const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** The ids a CONFLICT reply names: [party ids, peer ids]. */
export function conflictIds(message: string): [string[], string[]] | null {
  const match = /CONFLICT (.*)$/.exec(message);
  if (!match) return null;
  const parties: string[] = [];
  const peers: string[] = [];
  for (const item of match[1]!.split(' ')) {
    if (item.startsWith('party:')) parties.push(item.slice(6));
    else if (item.startsWith('peer:')) peers.push(item.slice(5));
  }
  return [parties, peers];
}
