package io.taskmesh.task;

import java.time.LocalDate;
import java.util.Optional;

import io.taskmesh.web.JsonInput;

/** Reads and checks the task fields shared by create and update. */
final class TaskFields {

    static final int MAX_TITLE = 500;
    static final int MAX_NOTES = 10_000;

    private TaskFields() {
    }

    /** The trimmed title, or a field error when it is empty, blank or too long. */
    static Optional<String> title(JsonInput input, boolean required) {
        if (!required && !input.has("title")) {
            return Optional.empty();
        }
        Optional<String> title = input.requiredString("title", Integer.MAX_VALUE).map(String::strip);
        if (title.isPresent()) {
            String t = title.get();
            if (JsonInput.isBlank(t)) {
                input.addError("title", "must not be blank");
                return Optional.empty();
            }
            if (t.codePointCount(0, t.length()) > MAX_TITLE) {
                input.addError("title", "must be at most " + MAX_TITLE + " characters after trimming");
                return Optional.empty();
            }
        }
        return title;
    }

    /** Notes; {@code null} means "no notes". */
    static Optional<String> notes(JsonInput input) {
        if (input.isNull("notes")) {
            return Optional.of("");
        }
        return input.string("notes", MAX_NOTES);
    }

    static Optional<String> due(JsonInput input) {
        return input.date("due").map(LocalDate::toString);
    }

    static Optional<Priority> priority(JsonInput input) {
        return input.enumValue("priority", Priority.class);
    }
}
