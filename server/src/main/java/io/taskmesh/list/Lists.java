package io.taskmesh.list;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import org.bson.types.ObjectId;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import io.taskmesh.cache.ReadCache;
import io.taskmesh.store.CollectionIndexes;
import io.taskmesh.web.ApiException;
import io.taskmesh.web.NewIds;
import io.taskmesh.web.Versioned;

/**
 * Lists and their members, and the access rule every other feature goes through: a list the
 * caller is not a member of does not exist for it (404); a list it may see but not change is 403.
 */
@Component
public class Lists {

    static final String COLLECTION = "lists";
    private static final String MEMBER_ID = "members.userId";
    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-f]{24}");
    private static final int MAX_CONCURRENT_RETRIES = 5;

    private final MongoTemplate mongo;
    private final ReadCache cache;

    Lists(MongoTemplate mongo, ReadCache cache) {
        this.mongo = mongo;
        this.cache = cache;
    }

    static CollectionIndexes indexes() {
        return CollectionIndexes.of(COLLECTION, new Index().on(MEMBER_ID, Sort.Direction.ASC));
    }

    /** True when the text could be an id this server issued. Anything else cannot exist. */
    public static boolean isId(String id) {
        return id != null && OBJECT_ID.matcher(id).matches();
    }

    /** The list, if the user is a member; otherwise 404 whether or not it exists. */
    public ListDocument visible(String listId, String userId) {
        if (!isId(listId)) {
            throw ApiException.notFound("List " + listId);
        }
        return memberOf(listId, userId).orElseThrow(() -> ApiException.notFound("List " + listId));
    }

    /**
     * The list if the user is one of its members. This and {@link #visibleTo} send their filter as written
     * (with the id as the ObjectId Spring stores): Spring's mapping of the path {@code members.userId}
     * throws and catches a NumberFormatException for each of its segments, on every request.
     */
    private Optional<ListDocument> memberOf(String listId, String userId) {
        Query query = Query.query(Criteria.where("_id").is(new ObjectId(listId)).and(MEMBER_ID).is(userId));
        return Optional.ofNullable(mongo.findOne(query, org.bson.Document.class, COLLECTION)).map(this::read);
    }

    private ListDocument read(org.bson.Document document) {
        return mongo.getConverter().read(ListDocument.class, document);
    }

    /**
     * The members of the list whatever the caller, as user id to role name (for the read cache's
     * access checks, {@link ReadCache#ofList}); empty when there is no such list.
     */
    public Optional<Map<String, String>> roles(String listId) {
        return find(listId).map(Lists::rolesOf);
    }

    private Optional<ListDocument> find(String listId) {
        return isId(listId) ? Optional.ofNullable(mongo.findById(listId, ListDocument.class)) : Optional.empty();
    }

    private static Map<String, String> rolesOf(ListMembership list) {
        Map<String, String> roles = new LinkedHashMap<>();
        list.members().forEach(m -> roles.put(m.userId(), m.role().name()));
        return roles;
    }

    /**
     * The list's members, if the user is one of them; otherwise 404 whether or not it exists. Like
     * {@link #visible} without the name and version, from the read cache: for the tasks' endpoints.
     */
    public ListMembership access(String listId, String userId) {
        if (!isId(listId)) {
            throw ApiException.notFound("List " + listId);
        }
        Map<String, String> roles = cache.members(listId, () -> roles(listId))
                .filter(r -> r.containsKey(userId))
                .orElseThrow(() -> ApiException.notFound("List " + listId));
        List<ListDocument.Member> members = new ArrayList<>(roles.size());
        roles.forEach((id, role) -> members.add(new ListDocument.Member(id, Role.valueOf(role))));
        return ListMembership.of(listId, members);
    }

    /** The list's members, if the user may change its tasks: 404 when not visible, 403 for a viewer. */
    public ListMembership editableTasks(String listId, String userId) {
        return editableTasks(access(listId, userId), userId);
    }

    /** The same check on members already read by {@link #access}: 403 for a viewer. */
    public static ListMembership editableTasks(ListMembership list, String userId) {
        if (!list.roleOf(userId).orElseThrow().canEditTasks()) {
            throw ApiException.forbidden("You are a viewer of this list and cannot change its tasks");
        }
        return list;
    }

    ListDocument owned(String listId, String userId) {
        ListDocument list = visible(listId, userId);
        if (list.roleOf(userId).orElseThrow() != Role.OWNER) {
            throw ApiException.forbidden("Only the owner of the list can do this");
        }
        return list;
    }

    /** Ids of every list the user can see. */
    public List<String> visibleIds(String userId) {
        Query query = Query.query(Criteria.where(MEMBER_ID).is(userId));
        query.fields().include("_id");
        return mongo.find(query, org.bson.Document.class, COLLECTION).stream().map(d -> d.get("_id").toString()).toList();
    }

    List<ListDocument> visibleTo(String userId) {
        Query query = Query.query(Criteria.where(MEMBER_ID).is(userId)).with(Sort.by("createdAt", "_id"));
        return mongo.find(query, org.bson.Document.class, COLLECTION).stream().map(this::read).toList();
    }

    ListDocument create(String name, String ownerId) {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String id = NewIds.next();
        try {
            return mongo.insert(new ListDocument(id, name, List.of(new ListDocument.Member(ownerId, Role.OWNER)), 1,
                    now, now));
        } catch (DuplicateKeyException e) {
            // A retry of a create whose first run finished but could not answer (see NewIds).
            return memberOf(id, ownerId).orElseThrow(() -> ApiException.conflict("This Idempotency-Key was already used; use a new key"));
        }
    }

    /**
     * Applies a change to the list with optimistic concurrency: the write succeeds only if nobody
     * changed the list since it was read. With {@code If-Match} a lost race is a 412; without, the
     * change is re-applied to the fresh list.
     */
    ListDocument change(ListDocument current, String ifMatch, UnaryOperator<ListDocument> change) {
        ListDocument list = current;
        for (int attempt = 0; attempt < MAX_CONCURRENT_RETRIES; attempt++) {
            Versioned.checkIfMatch(ifMatch, list.version());
            ListDocument changed = change.apply(list);
            Update update = new Update()
                    .set("name", changed.name())
                    .set("members", changed.members())
                    .set("version", list.version() + 1)
                    .set("updatedAt", Instant.now());
            ListDocument saved = mongo.findAndModify(
                    Query.query(Criteria.where("_id").is(list.id()).and("version").is(list.version())), update,
                    org.springframework.data.mongodb.core.FindAndModifyOptions.options().returnNew(true),
                    ListDocument.class);
            if (saved != null) {
                return saved;
            }
            list = Optional.ofNullable(mongo.findById(list.id(), ListDocument.class))
                    .orElseThrow(() -> ApiException.notFound("List " + current.id()));
        }
        throw ApiException.conflict("The list is being changed by others; try again");
    }

    boolean delete(String listId) {
        return mongo.remove(Query.query(Criteria.where("_id").is(listId)), ListDocument.class).getDeletedCount() > 0;
    }

    static List<ListDocument.Member> with(List<ListDocument.Member> members, String userId, Role role) {
        List<ListDocument.Member> result = new ArrayList<>(members.stream().filter(m -> !m.userId().equals(userId)).toList());
        if (role != null) {
            result.add(new ListDocument.Member(userId, role));
        }
        return result;
    }
}
