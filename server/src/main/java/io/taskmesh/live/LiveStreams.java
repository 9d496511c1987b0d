package io.taskmesh.live;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Server-Sent Events streams open on this node, by user. Every event from the bus goes to the
 * streams of the users in its audience, on one delivery thread so that each stream sees events in
 * order and a slow client cannot hold up a request.
 */
@Component
class LiveStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveStreams.class);

    private final UserStreams<Stream> byUser = new UserStreams<>();
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "live-delivery");
        thread.setDaemon(true);
        return thread;
    });
    private final EventBus bus;
    private final JsonMapper json;
    private volatile boolean running;

    LiveStreams(EventBus bus, JsonMapper json, MeterRegistry metrics) {
        this.bus = bus;
        this.json = json;
        bus.subscribe(event -> delivery.execute(() -> deliver(event)));
        Gauge.builder("taskmesh.live.streams", byUser, UserStreams::size)
                .description("Open event streams on this node").register(metrics);
    }

    /**
     * Opens a stream for the user. With {@code lastEventId} it first replays what the client
     * missed, or sends {@code resync} when that is no longer known. The backlog is read on the
     * delivery thread, so no event can fall between the backlog and the live stream; one that is
     * in both is sent once.
     */
    SseEmitter open(String userId, String lastEventId) {
        Stream stream = new Stream(userId, new SseEmitter(0L));
        Runnable remove = () -> byUser.remove(userId, stream);
        stream.emitter.onCompletion(remove);
        stream.emitter.onTimeout(remove);
        stream.emitter.onError(e -> remove.run());
        delivery.execute(() -> {
            try {
                stream.emitter.send(SseEmitter.event().comment("connected"));
                if (lastEventId != null) {
                    Optional<List<LiveEvent>> missed = bus.since(lastEventId);
                    if (missed.isEmpty()) {
                        stream.emitter.send(SseEmitter.event().name("resync").data("{}"));
                    } else {
                        stream.lastId = lastEventId;
                        for (LiveEvent event : missed.get()) {
                            send(stream, event);
                        }
                    }
                }
                byUser.add(userId, stream);
            } catch (IOException | IllegalStateException e) {
                stream.emitter.completeWithError(e);
            }
        });
        return stream.emitter;
    }

    private void deliver(LiveEvent event) {
        if (LiveEvent.RESYNC.equals(event.type()) && event.id() == null) {
            byUser.forEach((userId, stream) -> {
                try {
                    stream.emitter.send(SseEmitter.event().name(LiveEvent.RESYNC).data("{}"));
                } catch (IOException | IllegalStateException e) {
                    close(stream, e);
                }
            });
            return;
        }
        for (String userId : event.audience().keySet()) {
            for (Stream stream : byUser.of(userId)) {
                try {
                    send(stream, event);
                } catch (IOException | IllegalStateException e) {
                    close(stream, e);
                }
            }
        }
    }

    private void close(Stream stream, Exception e) {
        byUser.remove(stream.userId, stream);
        stream.emitter.completeWithError(e);
    }

    private void send(Stream stream, LiveEvent event) throws IOException {
        if (!event.audience().containsKey(stream.userId) || !EventIds.after(event.id(), stream.lastId)) {
            return;
        }
        stream.emitter.send(SseEmitter.event().id(event.id()).name(event.type()).data(dataFor(stream.userId, event)));
        stream.lastId = event.id();
    }

    /** One open stream; {@code lastId} is only touched on the delivery thread. */
    private static final class Stream {
        final String userId;
        final SseEmitter emitter;
        String lastId;

        Stream(String userId, SseEmitter emitter) {
            this.userId = userId;
            this.emitter = emitter;
        }
    }

    /**
     * List events carry the recipient's own role, as GET /lists does. Data that is not a JSON object
     * (events come from every node, through Redis) goes out as it is: failing here would leave the
     * other streams without the event, or a resuming stream without any.
     */
    private String dataFor(String userId, LiveEvent event) {
        if (!event.type().startsWith("list.") || event.type().equals("list.deleted")) {
            return event.data();
        }
        JsonNode data;
        try {
            data = json.readTree(event.data());
        } catch (JacksonException e) {
            return event.data();
        }
        if (!(data instanceof ObjectNode list)) {
            return event.data();
        }
        list.put("role", event.audience().get(userId));
        return json.writeValueAsString(list);
    }

    /** Keeps idle streams alive through proxies and finds closed ones. */
    @Scheduled(fixedDelayString = "${taskmesh.live.heartbeat:15s}")
    void heartbeat() {
        delivery.execute(() -> byUser.forEach((userId, stream) -> {
            try {
                stream.emitter.send(SseEmitter.event().comment("heartbeat"));
            } catch (IOException | IllegalStateException e) {
                close(stream, e);
            }
        }));
    }

    @Override
    public void start() {
        running = true;
    }

    /** Closes every stream before the web server drains, so that shutdown need not wait for them. */
    @Override
    public void stop() {
        running = false;
        int open = byUser.size();
        byUser.forEach((userId, stream) -> stream.emitter.complete());
        byUser.clear();
        log.info("Closed {} event streams", open);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
