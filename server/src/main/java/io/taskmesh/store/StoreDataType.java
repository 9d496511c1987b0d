package io.taskmesh.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * How a collection's keys (the documents' ids) and documents, and the keys of its unique indexes, are
 * written to the store file: documents as BSON, the encoding they arrive in, ObjectIds as their 12
 * bytes, and an index key's values as one BSON array, each behind a marker byte. The library's
 * default (H2's {@link ObjectDataType}) writes all of them with Java serialization, which took about
 * half of the store's CPU: every commit rewrites whole pages, and every page read from the file is
 * deserialized. Anything else, and everything written by earlier versions, still goes through that
 * default, so old files open as before and are rewritten in the new form page by page.
 *
 * <p>Ids are ordered as before ({@link ObjectDataType#compare}). Index keys are ordered by their
 * values as MongoDB orders values; the default serialized them to compare their bytes, at every step
 * of every look-up. A unique index's map written in that older order is rebuilt once, when it opens
 * ({@link IndexedH2Database}).
 */
final class StoreDataType extends BasicDataType<Object> {

    /** Above every tag H2's ObjectDataType writes (all below 128), so the formats cannot be confused. */
    private static final byte DOCUMENT = (byte) 0xB5;
    private static final byte OBJECT_ID = (byte) 0xB6;
    private static final byte KEY_VALUE = (byte) 0xB7;
    private static final int OBJECT_ID_BYTES = 12;

    /** The field of the one-field document an index key's values are written in. */
    private static final String KEY_VALUES = "k";

    /** Value by value as MongoDB orders them (lists as values, not by their least element), then the shorter first. */
    private static final Comparator<Object> VALUE_ORDER = ValueComparator.ascWithoutListHandling();

    /** The default, for everything else; one per map, as the library has it. */
    private final ObjectDataType fallback = new ObjectDataType();

    @Override
    public void write(WriteBuffer buffer, Object value) {
        if (value instanceof Document document) {
            writeBson(buffer, DOCUMENT, document);
        } else if (value instanceof ObjectId id) {
            buffer.put(OBJECT_ID).put(id.toByteArray());
        } else if (value instanceof KeyValue key && key.stream().noneMatch(Missing.class::isInstance)) {
            writeBson(buffer, KEY_VALUE, new Document(KEY_VALUES, key.stream().toList()));
        } else {
            fallback.write(buffer, value);
        }
    }

    private static void writeBson(WriteBuffer buffer, byte marker, Document document) {
        ByteBuf bson = Unpooled.buffer(256);
        try {
            BsonEncoder.encodeDocument(document, bson);
            buffer.put(marker).put(bson.array(), bson.arrayOffset() + bson.readerIndex(), bson.readableBytes());
        } finally {
            bson.release();
        }
    }

    @Override
    public Object read(ByteBuffer buffer) {
        byte marker = buffer.get(buffer.position());
        if (marker == DOCUMENT) {
            return readBson(buffer);
        }
        if (marker == KEY_VALUE) {
            return new KeyValue((List<?>) readBson(buffer).get(KEY_VALUES));
        }
        if (marker == OBJECT_ID) {
            buffer.get();
            byte[] id = new byte[OBJECT_ID_BYTES];
            buffer.get(id);
            return new ObjectId(id);
        }
        return fallback.read(buffer);
    }

    private static Document readBson(ByteBuffer buffer) {
        buffer.get();
        int length = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt();
        ByteBuffer bson = buffer.slice(buffer.position(), length);
        buffer.position(buffer.position() + length);
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson));
    }

    @Override
    public int compare(Object a, Object b) {
        if (a instanceof KeyValue x && b instanceof KeyValue y) {
            return compareKeys(x, y);
        }
        return fallback.compare(a, b);
    }

    private static int compareKeys(KeyValue a, KeyValue b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int order = VALUE_ORDER.compare(a.get(i), b.get(i));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    @Override
    public Object[] createStorage(int size) {
        return new Object[size];
    }

    /** A rough size in memory (the store sizes its pages and cache by it), without encoding. */
    @Override
    public int getMemory(Object value) {
        if (value instanceof Document document) {
            return 48 + memoryOf(document.values());
        }
        if (value instanceof KeyValue key) {
            return 48 + memoryOf(key.stream().toList());
        }
        return value instanceof ObjectId ? 48 : fallback.getMemory(value);
    }

    private static int memoryOf(Collection<?> values) {
        int memory = 0;
        for (Object value : values) {
            memory += 32;
            if (value instanceof CharSequence text) {
                memory += 2 * text.length();
            } else if (value instanceof Map<?, ?> map) {
                memory += 48 + memoryOf(map.values());
            } else if (value instanceof Collection<?> items) {
                memory += 32 + memoryOf(items);
            } else if (value instanceof byte[] bytes) {
                memory += bytes.length;
            }
        }
        return memory;
    }
}
