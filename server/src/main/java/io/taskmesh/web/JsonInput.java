package io.taskmesh.web;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Strict reading of a JSON request object: no type coercion, absent and {@code null} told apart,
 * every problem collected as a field error and reported together by {@link #validate()}.
 */
public final class JsonInput {

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private final JsonNode node;
    private final List<ApiException.FieldProblem> errors = new ArrayList<>();

    private JsonInput(JsonNode node) {
        this.node = node;
    }

    public static JsonInput of(JsonNode body) {
        if (body == null || body.isMissingNode() || body.isNull()) {
            throw ApiException.badRequest("The request body is missing");
        }
        if (!body.isObject()) {
            throw ApiException.badRequest("The request body must be a JSON object");
        }
        return new JsonInput(body);
    }

    public boolean has(String field) {
        return node.has(field);
    }

    public boolean isNull(String field) {
        return node.has(field) && node.get(field).isNull();
    }

    /** A string field; absent gives empty. Strings must be valid Unicode without NUL characters. */
    public Optional<String> string(String field, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isString()) {
            return error(field, "must be a string");
        }
        String text = value.asString();
        if (!isWellFormed(text)) {
            return error(field, "must be valid Unicode text without NUL characters");
        }
        if (text.codePointCount(0, text.length()) > maxLength) {
            return error(field, "must be at most " + maxLength + " characters");
        }
        return Optional.of(text);
    }

    public Optional<String> requiredString(String field, int maxLength) {
        if (!node.has(field) || node.get(field).isNull()) {
            return error(field, "is required");
        }
        return string(field, maxLength);
    }

    public Optional<Boolean> bool(String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            return error(field, "must be true or false");
        }
        return Optional.of(value.booleanValue());
    }

    public Optional<Double> number(String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isNumber()) {
            return error(field, "must be a number");
        }
        double number = value.doubleValue();
        if (!Double.isFinite(number) || Math.abs(number) > 1e15) {
            return error(field, "must be between -1e15 and 1e15");
        }
        return Optional.of(number);
    }

    /** A {@code YYYY-MM-DD} calendar date that exists. */
    public Optional<LocalDate> date(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isString()) {
            return error(field, "must be a date string YYYY-MM-DD");
        }
        return parseDate(value.asString()).or(() -> error(field, "must be a real date in the form YYYY-MM-DD"));
    }

    /** One of the enum's constants, written in lower case. */
    public <E extends Enum<E>> Optional<E> enumValue(String field, Class<E> type) {
        JsonNode value = node.get(field);
        if (value == null) {
            return Optional.empty();
        }
        Optional<E> parsed = value.isString() ? parseEnum(value.asString(), type) : Optional.empty();
        return parsed.or(() -> error(field, "must be one of " + allowed(type)));
    }


    public void addError(String field, String message) {
        errors.add(new ApiException.FieldProblem(field, message));
    }

    /** Throws a 400 problem naming every invalid field seen so far. */
    public void validate() {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    private <T> Optional<T> error(String field, String message) {
        addError(field, message);
        return Optional.empty();
    }

    public static Optional<LocalDate> parseDate(String text) {
        if (text == null || !DATE.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public static <E extends Enum<E>> Optional<E> parseEnum(String text, Class<E> type) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).equals(text)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }

    public static <E extends Enum<E>> String allowed(Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name().toLowerCase(Locale.ROOT));
        }
        return String.join(", ", names);
    }

    /** True when the text is empty or only white space, including no-break and other Unicode spaces. */
    public static boolean isBlank(String text) {
        return text.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c));
    }

    /** True when the text has no lone surrogates and no NUL character. */
    public static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
