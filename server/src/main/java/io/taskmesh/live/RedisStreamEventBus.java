package io.taskmesh.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskmesh.redis.RedisErrors;
import io.taskmesh.redis.RedisProperties;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The event bus of a cluster: one Redis stream that every node appends to ({@code XADD}, trimmed
 * to about {@code maxLength} entries) and every node reads with one thread doing blocking
 * {@code XREAD} from where it left off, so that each node sees every event once and in stream
 * order. Resumes ({@code since}) read the stream with {@code XRANGE}.
 * <p>
 * Redis is an accelerator: a publish that fails is logged and counted
 * ({@code taskmesh.live.publish.failures}) and the request succeeds; when the reader gets through
 * to Redis again after a failure, every stream on this node is told to {@code resync}, since
 * events may have been lost meanwhile.
 */
public class RedisStreamEventBus implements EventBus, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RedisStreamEventBus.class);
    private static final TypeReference<Map<String, String>> AUDIENCE = new TypeReference<>() {
    };

    private final LettuceConnectionFactory factory;
    private final RedisProperties properties;
    private final JsonMapper json;
    private final RedisErrors errors;
    private final Counter publishFailures;
    private final List<Consumer<LiveEvent>> subscribers = new CopyOnWriteArrayList<>();
    private volatile StatefulRedisConnection<String, String> commands;
    private volatile Thread reader;
    private volatile boolean running;

    public RedisStreamEventBus(LettuceConnectionFactory factory, RedisProperties properties, JsonMapper json,
            RedisErrors errors, MeterRegistry metrics) {
        this.factory = factory;
        this.properties = properties;
        this.json = json;
        this.errors = errors;
        this.publishFailures = Counter.builder("taskmesh.live.publish.failures")
                .description("Change events that could not be published (Redis unreachable)").register(metrics);
    }

    @Override
    public void publish(LiveEvent event) {
        StatefulRedisConnection<String, String> connection = commands;
        try {
            if (connection == null) {
                throw new IllegalStateException("not connected to Redis yet");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("type", event.type());
            fields.put("listId", event.listId());
            fields.put("audience", json.writeValueAsString(event.audience()));
            fields.put("data", event.data());
            connection.sync().xadd(properties.eventStream(),
                    XAddArgs.Builder.maxlen(properties.eventStreamMaxLength()).approximateTrimming(), fields);
        } catch (RuntimeException e) {
            // The change itself is stored; clients hear of it on their next resync or refetch.
            publishFailures.increment();
            errors.failed("events", e);
        }
    }

    @Override
    public void subscribe(Consumer<LiveEvent> subscriber) {
        subscribers.add(subscriber);
    }

    @Override
    public Optional<List<LiveEvent>> since(String lastEventId) {
        StatefulRedisConnection<String, String> connection = commands;
        if (EventIds.parse(lastEventId) == null || connection == null) {
            return Optional.empty();
        }
        try {
            var sync = connection.sync();
            // The id must still be in the stream: trimmed away, or lost with a Redis restart, means resync.
            if (sync.xrange(properties.eventStream(), Range.create(lastEventId, lastEventId)).isEmpty()) {
                return Optional.empty();
            }
            List<LiveEvent> after = new ArrayList<>();
            String from = lastEventId;
            while (true) {
                List<StreamMessage<String, String>> page = sync.xrange(properties.eventStream(),
                        Range.from(Range.Boundary.excluding(from), Range.Boundary.unbounded()), Limit.from(1000));
                page.forEach(message -> after.add(toEvent(message)));
                if (page.size() < 1000) {
                    return Optional.of(after);
                }
                from = page.get(page.size() - 1).getId();
            }
        } catch (RuntimeException e) {
            errors.failed("events", e);
            return Optional.empty();
        }
    }

    private LiveEvent toEvent(StreamMessage<String, String> message) {
        Map<String, String> body = message.getBody();
        return new LiveEvent(message.getId(), body.get("type"), body.get("listId"),
                json.readValue(body.get("audience"), AUDIENCE), body.get("data"));
    }

    /** The reader: connects, reads new entries with blocking XREAD, and after any failure tells streams to resync. */
    private void read() {
        StatefulRedisConnection<String, String> blocking = null;
        String lastId = null;
        boolean failed = false;
        while (running) {
            try {
                if (blocking == null || commands == null) {
                    RedisClient client = (RedisClient) factory.getRequiredNativeClient();
                    if (commands == null) {
                        commands = client.connect();
                    }
                    if (blocking == null) {
                        blocking = client.connect();
                        blocking.setTimeout(properties.eventReadBlock().plus(properties.commandTimeout()));
                    }
                }
                if (lastId == null) {
                    List<StreamMessage<String, String>> last = blocking.sync().xrevrange(properties.eventStream(),
                            Range.unbounded(), Limit.from(1));
                    lastId = last.isEmpty() ? "0-0" : last.get(0).getId();
                }
                List<StreamMessage<String, String>> messages = blocking.sync().xread(
                        XReadArgs.Builder.block(properties.eventReadBlock()).count(500),
                        XReadArgs.StreamOffset.from(properties.eventStream(), lastId));
                if (failed) {
                    failed = false;
                    errors.succeeded("events");
                    log.info("Event stream readable again; telling this node's clients to resync");
                    deliver(LiveEvent.resync());
                }
                for (StreamMessage<String, String> message : messages) {
                    lastId = message.getId();
                    deliver(toEvent(message));
                }
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                if (!failed) {
                    failed = true;
                    errors.failed("events", e);
                }
                pause(Duration.ofMillis(200));
            }
        }
        if (blocking != null) {
            blocking.closeAsync();
        }
    }

    private void deliver(LiveEvent event) {
        for (Consumer<LiveEvent> subscriber : subscribers) {
            try {
                subscriber.accept(event);
            } catch (RuntimeException e) {
                log.warn("An event subscriber failed", e);
            }
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start() {
        running = true;
        reader = new Thread(this::read, "live-redis-reader");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread thread = reader;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(properties.eventReadBlock().plus(properties.commandTimeout()).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        StatefulRedisConnection<String, String> connection = commands;
        commands = null;
        if (connection != null) {
            connection.closeAsync();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts after the connection factory, stops before it (and after the streams close). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }
}
