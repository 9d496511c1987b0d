package io.taskmesh.live;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Carries change events to every node: in-process in the embedded mode, through Redis in a cluster. */
public interface EventBus {

    /** Appends the event to the shared stream; every node's subscribers receive it. */
    void publish(LiveEvent event);

    /** Called on this node for every event published by any node, in stream order. */
    void subscribe(Consumer<LiveEvent> subscriber);

    /**
     * The events after {@code lastEventId}, oldest first; empty when that id is no longer (or
     * never was) in the retained stream, so the client must refetch.
     */
    Optional<List<LiveEvent>> since(String lastEventId);
}
