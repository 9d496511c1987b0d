package io.taskmesh.live;

/** Event ids have the shape of Redis stream ids, {@code <millis>-<sequence>}, and are ordered as such. */
final class EventIds {

    private EventIds() {
    }

    /** True when {@code id} comes after {@code previous} (or there is no previous). */
    static boolean after(String id, String previous) {
        if (previous == null) {
            return true;
        }
        long[] a = parse(id);
        long[] b = parse(previous);
        if (a == null || b == null) {
            return true;
        }
        return a[0] != b[0] ? a[0] > b[0] : a[1] > b[1];
    }

    /** The two numbers of a well-formed id, or null. */
    static long[] parse(String id) {
        int dash = id == null ? -1 : id.indexOf('-');
        if (dash <= 0 || dash == id.length() - 1 || id.length() > 41) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1))};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
