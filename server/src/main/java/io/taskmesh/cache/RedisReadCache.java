package io.taskmesh.cache;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.RedisSerializer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.lettuce.core.RedisException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskmesh.redis.RedisErrors;
import tools.jackson.databind.json.JsonMapper;

/**
 * The read cache in Redis. Reads: get the version counter, then the entry under that version; on a
 * miss load from MongoDB (once per key on this node) and store the bytes with a TTL. Writes bump
 * the counters ({@link #changed}) before answering. A bump that fails is kept on this node and
 * retried in the background; until it succeeds this node does not read from the cache, so its own
 * clients always read their writes (other nodes may serve the old entry until then, at most for
 * the TTL). Every Redis call goes through a circuit breaker, and any failure falls back to MongoDB.
 * An entry's key names the version it was read under, so an entry never changes: the node keeps a
 * copy of the entries it read for at most the TTL, and a hit then costs Redis only the version read.
 */
final class RedisReadCache implements ReadCache, AutoCloseable {

    /** Creates a missing counter from the clock rather than from 0, so it cannot meet entries of a lost counter. */
    private static final RedisScript<String> VERSION = RedisScript.of("""
            local v = redis.call('GET', KEYS[1])
            if not v then
              redis.call('SET', KEYS[1], ARGV[1])
              v = ARGV[1]
            end
            return v
            """, String.class);
    private static final RedisScript<String> BUMP = RedisScript.of("""
            for _, key in ipairs(KEYS) do
              if redis.call('EXISTS', key) == 1 then
                redis.call('INCR', key)
              else
                redis.call('SET', key, ARGV[1])
              end
            end
            return tostring(#KEYS)
            """, String.class);
    private static final String USE = "cache";
    private static final String TOKEN = "token";

    private final RedisTemplate<String, byte[]> redis;
    private final JsonMapper json;
    /** How reads are answered while Redis cannot be used: as the embedded mode answers them. */
    private final DirectReads bypass;
    private final RedisErrors errors;
    private final CircuitBreaker breaker;
    private final long ttlMillis;
    private final SingleFlight<CachedJson> loads = new SingleFlight<>();
    private final SingleFlight<Optional<Map<String, String>>> memberLoads = new SingleFlight<>();
    /** Version keys whose bump failed and has not reached Redis yet, with a stamp so a newer failure is never forgotten. */
    private final Map<String, Long> pendingBumps = new ConcurrentHashMap<>();
    private final AtomicLong stamps = new AtomicLong();
    private final ScheduledExecutorService replayer;
    private final MeterRegistry metrics;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** This node's copies of entries, members and token owners (the last two are never sent, so never compressed). */
    private final Cache<String, CachedJson> local;
    /** Who each token seen here belongs to, never trusted alone: {@link #cachedForToken} checks it. */
    private final Cache<String, String> ownerHints = Caffeine.newBuilder().maximumSize(100_000).build();

    RedisReadCache(RedisConnectionFactory connections, JsonMapper json, RedisErrors errors, MeterRegistry metrics,
            CacheProperties properties) {
        this.redis = new RedisTemplate<>();
        redis.setConnectionFactory(connections);
        redis.setKeySerializer(RedisSerializer.string());
        redis.setValueSerializer(RedisSerializer.byteArray());
        redis.afterPropertiesSet();
        this.json = json;
        this.bypass = new DirectReads(json);
        this.errors = errors;
        this.metrics = metrics;
        this.breaker = new CircuitBreaker(properties.failureThreshold(), properties.openFor(), System::nanoTime);
        this.ttlMillis = properties.ttl().toMillis();
        this.local = Caffeine.newBuilder().maximumWeight(properties.localBytes())
                .weigher((String key, CachedJson value) -> key.length() + value.weight())
                .expireAfterWrite(properties.ttl()).build();
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            Gauge.builder("taskmesh.cache.circuit", breaker, b -> b.state() == state ? 1 : 0)
                    .description("State of the read cache's circuit breaker (1 = current)")
                    .tag("state", state.name().toLowerCase(java.util.Locale.ROOT)).register(metrics);
        }
        Gauge.builder("taskmesh.cache.pending.bumps", pendingBumps, Map::size)
                .description("Version bumps that failed and have not reached Redis yet; the node bypasses the cache meanwhile")
                .register(metrics);
        this.replayer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cache-bump-replay");
            thread.setDaemon(true);
            return thread;
        });
        long every = properties.replayEvery().toMillis();
        replayer.scheduleWithFixedDelay(this::replayQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<CachedJson> ofList(CachedRead key, String userId, Supplier<Optional<Map<String, String>>> members,
            Supplier<?> body) {
        String read = key.read();
        String listId = key.listId();
        try {
            if (!usable()) {
                throw Unavailable.INSTANCE;
            }
            List<String> versionKeys = List.of(CacheKeys.listVersion(listId), CacheKeys.membersVersion(listId));
            List<String> versions = currentVersions(versionKeys);
            if (versions.contains(null)) {
                // Counters are created only for lists that exist, so probing made-up ids leaves nothing in Redis.
                if (!members.get().map(roles -> roles.containsKey(userId)).orElse(false)) {
                    return Optional.empty();
                }
                versions = createMissing(versionKeys, versions);
            }
            String membersKey = CacheKeys.members(listId, versions.get(1));
            String entryKey = CacheKeys.answer(read, listId, versions.get(0), key.variant());
            List<CachedJson> found = cached(List.of(membersKey, entryKey));
            if (!membersUnder(membersKey, found.get(0), members).map(roles -> roles.containsKey(userId))
                    .orElse(false)) {
                return Optional.empty();
            }
            if (found.get(1) != null) {
                count("hits", read);
                return Optional.of(found.get(1));
            }
            count("misses", read);
            return Optional.of(loads.load(entryKey, () -> loadEntry(entryKey, body)));
        } catch (Unavailable e) {
            count("bypassed", read);
            return bypass.ofList(key, userId, members, body);
        }
    }

    // As ofList's access check, without a page: the write paths' check costs one version read when
    // this node has a copy of the members.
    @Override
    public Optional<Map<String, String>> members(String listId, Supplier<Optional<Map<String, String>>> load) {
        try {
            if (!usable()) {
                throw Unavailable.INSTANCE;
            }
            List<String> versionKeys = List.of(CacheKeys.membersVersion(listId));
            List<String> versions = currentVersions(versionKeys);
            if (versions.contains(null)) {
                if (load.get().isEmpty()) {
                    return Optional.empty();
                }
                versions = createMissing(versionKeys, versions);
            }
            String key = CacheKeys.members(listId, versions.get(0));
            return membersUnder(key, cached(key), load);
        } catch (Unavailable e) {
            return load.get();
        }
    }

    @Override
    public CachedJson ofUser(CachedRead key, String userId, Supplier<?> body) {
        String read = key.read();
        try {
            if (!usable()) {
                throw Unavailable.INSTANCE;
            }
            String entryKey = CacheKeys.answer(read, userId, versionOf(CacheKeys.userVersion(userId)), key.variant());
            CachedJson found = cached(entryKey);
            if (found != null) {
                count("hits", read);
                return found;
            }
            count("misses", read);
            return loads.load(entryKey, () -> loadEntry(entryKey, body));
        } catch (Unavailable e) {
            count("bypassed", read);
            return bypass.ofUser(key, userId, body);
        }
    }

    // One MGET: the tokens' version and the version the entry is keyed by; a second one only for
    // what this node has no copy of. A list's read does not need the caller first; a user's read takes
    // the caller from the owner hint, which the versioned owner entry then confirms (a token never
    // changes owner, it is only revoked).
    @Override
    public Optional<CachedJson> cachedForToken(String tokenHash, CachedRead read) {
        String hintedOwner = ownerHints.getIfPresent(tokenHash);
        if (hintedOwner == null || !pendingBumps.isEmpty()) {
            return Optional.empty();
        }
        boolean ofList = read.listId() != null;
        String scope = ofList ? read.listId() : hintedOwner;
        try {
            List<String> versions = currentVersions(ofList
                    ? List.of(CacheKeys.tokensVersion(), CacheKeys.listVersion(scope), CacheKeys.membersVersion(scope))
                    : List.of(CacheKeys.tokensVersion(), CacheKeys.userVersion(scope)));
            if (versions.contains(null)) {
                return Optional.empty();
            }
            String ownerKey = CacheKeys.entry(TOKEN, tokenHash, versions.get(0), "owner");
            String entryKey = CacheKeys.answer(read.read(), scope, versions.get(1), read.variant());
            List<CachedJson> found = cached(ofList
                    ? List.of(ownerKey, entryKey, CacheKeys.members(scope, versions.get(2)))
                    : List.of(ownerKey, entryKey));
            if (found.contains(null) || !hintedOwner.equals(new String(found.get(0).json(), StandardCharsets.UTF_8))
                    || ofList && !decodeMembers(found.get(2)).containsKey(hintedOwner)) {
                return Optional.empty();
            }
            count("hits", TOKEN);
            count("hits", read.read());
            count("fast", read.read());
            return Optional.of(found.get(1));
        } catch (Unavailable e) {
            return Optional.empty();
        }
    }

    @Override
    public void changed(Collection<String> listIds, Collection<String> userIds) {
        bump(versionKeys(listIds, userIds));
    }

    @Override
    public void membersChanged(String listId, Collection<String> userIds) {
        List<String> keys = versionKeys(List.of(listId), userIds);
        keys.add(CacheKeys.membersVersion(listId));
        bump(keys);
    }

    private static List<String> versionKeys(Collection<String> listIds, Collection<String> userIds) {
        List<String> keys = new ArrayList<>();
        listIds.forEach(id -> keys.add(CacheKeys.listVersion(id)));
        userIds.forEach(id -> keys.add(CacheKeys.userVersion(id)));
        return keys;
    }

    // A lookup that missed just before a revocation may store the owner afterwards, but under the old
    // version, which no lookup reads any more.
    @Override
    public Optional<String> tokenOwner(String tokenHash, Supplier<Optional<String>> owner) {
        try {
            if (!usable()) {
                throw Unavailable.INSTANCE;
            }
            String entryKey = CacheKeys.entry(TOKEN, tokenHash, versionOf(CacheKeys.tokensVersion()), "owner");
            CachedJson found = cached(entryKey);
            if (found != null) {
                count("hits", TOKEN);
                String id = new String(found.json(), StandardCharsets.UTF_8);
                ownerHints.put(tokenHash, id);
                return Optional.of(id);
            }
            count("misses", TOKEN);
            Optional<String> loaded = owner.get();
            loaded.ifPresent(id -> {
                storeAsIs(entryKey, id.getBytes(StandardCharsets.UTF_8));
                ownerHints.put(tokenHash, id);
            });
            return loaded;
        } catch (Unavailable e) {
            count("bypassed", TOKEN);
            return owner.get();
        }
    }

    @Override
    public void tokenRevoked() {
        bump(List.of(CacheKeys.tokensVersion()));
    }

    // A bump in flight does not hold up this node's reads: its write has not answered yet, so they
    // may still see what was there before. Only a bump that failed is kept, and this node's reads
    // then bypass the cache until it reaches Redis. (Reads used to wait for bumps in flight too:
    // under mixed load about half of the cached reads then left the fast path.) Earlier failed
    // bumps go along with this one.
    private void bump(List<String> versionKeys) {
        if (!send(versionKeys, true)) {
            for (String key : versionKeys) {
                pendingBumps.put(key, stamps.incrementAndGet());
            }
        }
    }

    /**
     * Bumps every pending version; false when Redis could not be reached. Requests ask the
     * breaker first; the background replay does not (no request waits for it), so that a bump
     * lost in an outage reaches Redis as soon as Redis answers again.
     */
    private boolean replay(boolean throughBreaker) {
        return send(List.of(), throughBreaker);
    }

    /** Bumps {@code versionKeys} and every pending version in one command; false when Redis could not be reached. */
    private boolean send(List<String> versionKeys, boolean throughBreaker) {
        Map<String, Long> pending = Map.copyOf(pendingBumps);
        List<String> keys = new ArrayList<>(versionKeys);
        pending.keySet().stream().filter(key -> !keys.contains(key)).forEach(keys::add);
        if (keys.isEmpty()) {
            return true;
        }
        try {
            call(() -> redis.execute(BUMP, RedisSerializer.string(), RedisSerializer.string(), keys, newVersion()),
                    throughBreaker);
            pending.forEach(pendingBumps::remove);
            return true;
        } catch (Unavailable e) {
            return false;
        }
    }

    private void replayQuietly() {
        try {
            replay(false);
        } catch (RuntimeException e) {
            errors.failed(USE, e);
        }
    }

    /** The value of a version counter, or null when it does not exist (yet, or any more). */
    private String currentVersion(String key) {
        return currentVersions(List.of(key)).get(0);
    }

    /** The values of version counters, in one command (null where one does not exist). */
    private List<String> currentVersions(List<String> keys) {
        List<byte[]> values = call(() -> redis.opsForValue().multiGet(keys));
        List<String> versions = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            byte[] value = values == null ? null : values.get(i);
            versions.add(value == null ? null : new String(value, StandardCharsets.UTF_8));
        }
        return versions;
    }

    /** The versions read, with each missing counter created (only those: the others were just read). */
    private List<String> createMissing(List<String> keys, List<String> versions) {
        List<String> all = new ArrayList<>(versions);
        for (int i = 0; i < keys.size(); i++) {
            if (all.get(i) == null) {
                all.set(i, createVersion(keys.get(i)));
            }
        }
        return all;
    }

    /** The value of a version counter, created if missing. */
    private String versionOf(String key) {
        String current = currentVersion(key);
        return current != null ? current : createVersion(key);
    }

    private String createVersion(String key) {
        return call(() -> redis.execute(VERSION, RedisSerializer.string(), RedisSerializer.string(), List.of(key),
                newVersion()));
    }

    /** The cache may be read only when no bump of this node is outstanding (so the node reads its own writes). */
    private boolean usable() {
        return pendingBumps.isEmpty() || replay(true);
    }

    /** The members stored under {@code key}: from {@code copy} when the node or Redis had it, else loaded once. */
    private Optional<Map<String, String>> membersUnder(String key, CachedJson copy,
            Supplier<Optional<Map<String, String>>> load) {
        return copy != null ? existing(decodeMembers(copy)) : memberLoads.load(key, () -> loadMembers(key, load));
    }

    private Optional<Map<String, String>> loadMembers(String key, Supplier<Optional<Map<String, String>>> members) {
        // A caller that missed just before the previous load stored its result finds it here.
        CachedJson stored = cached(key);
        if (stored != null) {
            return existing(decodeMembers(stored));
        }
        Optional<Map<String, String>> loaded = members.get();
        storeAsIs(key, encodeMembers(loaded.orElse(Map.of())));
        return loaded;
    }

    private CachedJson loadEntry(String key, Supplier<?> body) {
        CachedJson stored = cached(key);
        if (stored != null) {
            return stored;
        }
        CachedJson answer = CachedJson.of(json.writeValueAsBytes(body.get()));
        return store(key, answer, answer.stored());
    }

    /** Members and owners go to Redis as they are: their keys are read by older builds too. */
    private void storeAsIs(String key, byte[] value) {
        store(key, CachedJson.of(value), value);
    }

    /** Keeps a copy here and {@code value} in Redis (an answer's {@link CachedJson#stored} form). */
    private CachedJson store(String key, CachedJson copy, byte[] value) {
        local.put(key, copy);
        try {
            call(() -> {
                redis.opsForValue().set(key, value, ttlMillis, TimeUnit.MILLISECONDS);
                return Boolean.TRUE;
            });
        } catch (Unavailable e) {
            // The answer is still good; the next read loads again.
        }
        return copy;
    }

    /** The entry under a key: this node's copy, else Redis' (then copied); null when neither has it. */
    private CachedJson cached(String key) {
        return cached(List.of(key)).get(0);
    }

    /** The entries under the keys (null where missing), with one Redis command for those this node lacks. */
    private List<CachedJson> cached(List<String> keys) {
        List<CachedJson> found = new ArrayList<>(keys.size());
        List<String> lacking = new ArrayList<>(keys.size());
        for (String key : keys) {
            CachedJson copy = local.getIfPresent(key);
            found.add(copy);
            if (copy == null) {
                lacking.add(key);
            }
        }
        if (lacking.isEmpty()) {
            return found;
        }
        List<byte[]> fetched = call(() -> redis.opsForValue().multiGet(lacking));
        for (int i = 0, next = 0; i < keys.size(); i++) {
            if (found.get(i) == null) {
                byte[] value = fetched.get(next++);
                CachedJson copy = value == null ? null : CachedJson.fromStored(value);
                if (copy != null) {
                    local.put(keys.get(i), copy);
                    found.set(i, copy);
                }
            }
        }
        return found;
    }

    /** {@code id=role,id=role}; empty for a list that does not exist (a list always has its owner). */
    private static byte[] encodeMembers(Map<String, String> roles) {
        StringBuilder text = new StringBuilder();
        roles.forEach((id, role) -> text.append(text.isEmpty() ? "" : ",").append(id).append('=').append(role));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> decodeMembers(CachedJson encoded) {
        Map<String, String> roles = new LinkedHashMap<>();
        String text = new String(encoded.json(), StandardCharsets.UTF_8);
        for (String member : text.isEmpty() ? new String[0] : text.split(",")) {
            int split = member.indexOf('=');
            roles.put(member.substring(0, split), member.substring(split + 1));
        }
        return roles;
    }

    private static Optional<Map<String, String>> existing(Map<String, String> roles) {
        return roles.isEmpty() ? Optional.empty() : Optional.of(roles);
    }

    /** A counter value for a missing version key: microseconds of the clock, above any counter of the past. */
    private static String newVersion() {
        return Long.toString(System.currentTimeMillis() * 1000);
    }

    private <T> T call(Supplier<T> command) {
        return call(command, true);
    }

    private <T> T call(Supplier<T> command, boolean throughBreaker) {
        if (throughBreaker && !breaker.allow()) {
            throw Unavailable.INSTANCE;
        }
        try {
            T result = command.get();
            breaker.succeeded();
            errors.succeeded(USE);
            return result;
        } catch (DataAccessException | RedisException e) {
            breaker.failed();
            errors.failed(USE, e);
            throw Unavailable.INSTANCE;
        }
    }

    private void count(String what, String read) {
        // Looked up once per name and read: registering on every call showed in the profiles.
        counters.computeIfAbsent(what + ":" + read, k -> Counter.builder("taskmesh.cache." + what).tag("read", read)
                .description("Reads of the cache by result: hits, misses (loaded from MongoDB), bypassed (Redis"
                        + " unusable); fast: the hits answered ahead of the filter chain")
                .register(metrics)).increment();
    }

    @Override
    public void close() {
        replayer.shutdownNow();
    }

    /** Redis cannot be used for this request; the caller falls back to MongoDB. */
    private static final class Unavailable extends RuntimeException {
        static final Unavailable INSTANCE = new Unavailable();

        private Unavailable() {
            super("the read cache is unavailable", null, false, false);
        }
    }
}
