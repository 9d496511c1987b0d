package io.taskmesh.task;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.bson.Document;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.aggregation.Aggregation;
import org.springframework.data.mongodb.core.aggregation.ConditionalOperators;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import io.taskmesh.list.ListContents;
import io.taskmesh.store.CollectionIndexes;

/**
 * Task storage. Every query names {@code listId} (the shard key), so that a sharded cluster
 * routes it to the shards that own those lists.
 */
@Component
class Tasks implements ListContents {

    static final String COLLECTION = "tasks";
    // "id" (the property) rather than "_id": Spring Data maps it to _id either way, but resolving
    // "_id" as a property path throws and catches an exception on every query (seen in the JFR profile).
    private static final Sort LIST_ORDER = Sort.by("position", "id");
    private static final Sort VIEW_ORDER = Sort.by("dueSort", "position", "id");

    private final MongoTemplate mongo;

    Tasks(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    static CollectionIndexes indexes() {
        return CollectionIndexes.of(COLLECTION,
                new Index().on("listId", Sort.Direction.ASC).on("position", Sort.Direction.ASC).on("_id", Sort.Direction.ASC),
                new Index().on("listId", Sort.Direction.ASC).on("completed", Sort.Direction.ASC)
                        .on("dueSort", Sort.Direction.ASC).on("position", Sort.Direction.ASC));
    }

    Optional<TaskDocument> find(String listId, String taskId) {
        return Optional.ofNullable(mongo.findOne(byId(listId, taskId), TaskDocument.class));
    }

    TaskDocument insert(TaskDocument task) {
        return mongo.insert(task);
    }

    /** One past the largest position in the list, so that a new task goes last. */
    double nextPosition(String listId) {
        // Down to _id: the order of the (listId, position, _id) index, which a store reads from its end.
        Query last = Query.query(Criteria.where("listId").is(listId))
                .with(Sort.by(Sort.Direction.DESC, "position", "_id")).limit(1);
        last.fields().include("position");
        Document top = mongo.findOne(last, Document.class, COLLECTION);
        if (top == null) {
            return 1;
        }
        return Math.floor(((Number) top.get("position")).doubleValue()) + 1;
    }

    /** Applies the update if the task still has {@code version}; returns the new task, or empty on a lost race. */
    Optional<TaskDocument> update(String listId, String taskId, long version, Update update) {
        Query query = byId(listId, taskId).addCriteria(Criteria.where("version").is(version));
        update.set("version", version + 1).set("updatedAt", Instant.now());
        return Optional.ofNullable(mongo.findAndModify(query, update,
                FindAndModifyOptions.options().returnNew(true), TaskDocument.class));
    }

    boolean delete(String listId, String taskId, Long version) {
        Query query = byId(listId, taskId);
        if (version != null) {
            query.addCriteria(Criteria.where("version").is(version));
        }
        return mongo.remove(query, TaskDocument.class).getDeletedCount() > 0;
    }

    /** Completes (or reopens) every task of the list that is not so already; returns them as changed. */
    List<TaskDocument> setAllCompleted(String listId, boolean completed) {
        List<Object> ids = idsOf(Query.query(Criteria.where("listId").is(listId).and("completed").is(!completed)));
        if (ids.isEmpty()) {
            return List.of();
        }
        Instant now = Instant.now();
        Update update = new Update().set("completed", completed).set("completedAt", completed ? now : null)
                .set("updatedAt", now).inc("version", 1);
        Query changed = Query.query(Criteria.where("listId").is(listId).and("_id").in(ids).and("completed").is(!completed));
        mongo.updateMulti(changed, update, TaskDocument.class);
        return mongo.find(Query.query(Criteria.where("listId").is(listId).and("_id").in(ids)).with(LIST_ORDER),
                TaskDocument.class);
    }

    /** Deletes the completed tasks of the list; returns the ids deleted. */
    List<String> deleteCompleted(String listId) {
        List<Object> ids = idsOf(Query.query(Criteria.where("listId").is(listId).and("completed").is(true)));
        if (ids.isEmpty()) {
            return List.of();
        }
        mongo.remove(Query.query(Criteria.where("listId").is(listId).and("_id").in(ids).and("completed").is(true)),
                TaskDocument.class);
        return ids.stream().map(Object::toString).toList();
    }

    private List<Object> idsOf(Query query) {
        query.fields().include("_id");
        return mongo.find(query, Document.class, COLLECTION).stream().map(d -> d.get("_id")).toList();
    }

    /** A page of one list's tasks in list order. */
    List<TaskDocument> page(String listId, Boolean completed, String text, int limit, PageCursor after) {
        List<Criteria> conditions = new ArrayList<>();
        conditions.add(Criteria.where("listId").is(listId));
        if (completed != null) {
            conditions.add(Criteria.where("completed").is(completed));
        }
        addTextSearch(conditions, text);
        if (after != null) {
            conditions.add(new Criteria().orOperator(
                    Criteria.where("position").gt(after.position()),
                    Criteria.where("position").is(after.position()).and("_id").gt(after.id())));
        }
        return mongo.find(Query.query(new Criteria().andOperator(conditions)).with(LIST_ORDER).limit(limit),
                TaskDocument.class);
    }

    /** A page of open tasks across lists, by due date then list order. */
    List<TaskDocument> view(Collection<String> listIds, String dueFrom, String dueTo, String text, int limit,
            PageCursor after) {
        List<Criteria> conditions = new ArrayList<>();
        conditions.add(Criteria.where("listId").in(listIds));
        conditions.add(Criteria.where("completed").is(false));
        if (dueFrom != null) {
            conditions.add(Criteria.where("dueSort").gte(dueFrom));
        }
        if (dueTo != null) {
            conditions.add(Criteria.where("dueSort").lte(dueTo));
        }
        addTextSearch(conditions, text);
        if (after != null) {
            conditions.add(new Criteria().orOperator(
                    Criteria.where("dueSort").gt(after.dueSort()),
                    Criteria.where("dueSort").is(after.dueSort()).and("position").gt(after.position()),
                    Criteria.where("dueSort").is(after.dueSort()).and("position").is(after.position())
                            .and("_id").gt(after.id())));
        }
        return mongo.find(Query.query(new Criteria().andOperator(conditions)).with(VIEW_ORDER).limit(limit),
                TaskDocument.class);
    }

    @Override
    public Map<String, Counts> counts(Collection<String> listIds) {
        if (listIds.isEmpty()) {
            return Map.of();
        }
        Aggregation aggregation = Aggregation.newAggregation(
                Aggregation.match(Criteria.where("listId").in(listIds)),
                Aggregation.group("listId").count().as("total")
                        .sum(ConditionalOperators.when(Criteria.where("completed").is(false)).then(1).otherwise(0))
                        .as("open"));
        Map<String, Counts> counts = new HashMap<>();
        for (Document row : mongo.aggregate(aggregation, COLLECTION, Document.class)) {
            counts.put(row.getString("_id"), new Counts(((Number) row.get("open")).longValue(),
                    ((Number) row.get("total")).longValue()));
        }
        return counts;
    }

    @Override
    public void deleteAll(String listId) {
        mongo.remove(Query.query(Criteria.where("listId").is(listId)), TaskDocument.class);
    }

    private static void addTextSearch(List<Criteria> conditions, String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        String pattern = Pattern.quote(text.strip());
        conditions.add(new Criteria().orOperator(
                Criteria.where("title").regex(pattern, "i"),
                Criteria.where("notes").regex(pattern, "i")));
    }

    private static Query byId(String listId, String taskId) {
        return Query.query(Criteria.where("_id").is(taskId).and("listId").is(listId));
    }
}
