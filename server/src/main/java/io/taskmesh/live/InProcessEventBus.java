package io.taskmesh.live;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The event stream of a single node: the last {@code capacity} events kept in memory for resumes.
 * Ids have the shape of Redis stream ids ({@code <millis>-<sequence>}) and grow monotonically.
 */
public class InProcessEventBus implements EventBus {

    private final int capacity;
    private final Deque<LiveEvent> retained = new ArrayDeque<>();
    private final List<Consumer<LiveEvent>> subscribers = new CopyOnWriteArrayList<>();
    private long lastMillis;
    private long sequence;

    public InProcessEventBus(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public void publish(LiveEvent event) {
        LiveEvent stamped;
        synchronized (this) {
            long now = System.currentTimeMillis();
            if (now > lastMillis) {
                lastMillis = now;
                sequence = 0;
            } else {
                sequence++;
            }
            stamped = event.withId(lastMillis + "-" + sequence);
            retained.addLast(stamped);
            if (retained.size() > capacity) {
                retained.removeFirst();
            }
            // Delivered under the lock so that subscribers see events in id order.
            subscribers.forEach(s -> s.accept(stamped));
        }
    }

    @Override
    public void subscribe(Consumer<LiveEvent> subscriber) {
        subscribers.add(subscriber);
    }

    @Override
    public synchronized Optional<List<LiveEvent>> since(String lastEventId) {
        List<LiveEvent> after = new ArrayList<>();
        boolean found = false;
        for (LiveEvent event : retained) {
            if (found) {
                after.add(event);
            } else if (event.id().equals(lastEventId)) {
                found = true;
            }
        }
        return found ? Optional.of(after) : Optional.empty();
    }
}
