package dev.ravine.optim;

import dev.ravine.UserError;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one grammar of optimizer and schedule specs, {@code NAME:key=value,key=value}, with PyTorch's names.
 * Values bind onto a hyperparameter record: keys are its components in snake_case ({@code weight_decay} for
 * {@code weightDecay}), unspecified ones keep the record's defaults, and the record's compact constructor
 * checks ranges. Booleans are {@code true|false}; lists use {@code |}. Keys are read in lower case, so PyTorch's own
 * spelling of the few keys it capitalizes ({@code T_max} of {@code CosineAnnealingLR}) works as well.
 *
 * @param option the command-line option the spec came from, for messages
 */
public record Spec(String option, String text, String name, Map<String, String> values) {
    public static Spec parse(String option, String text) {
        int colon = text.indexOf(':');
        String name = (colon < 0 ? text : text.substring(0, colon)).trim();
        if (name.isEmpty()) throw new UserError(option + " " + text + ": missing a name before ':'");
        return new Spec(option, text, name, pairs(option, text, colon < 0 ? "" : text.substring(colon + 1)));
    }

    /**
     * The {@code key=value,...} pairs of {@code body}, a spec's part after its name or the whole of an option that
     * has no name (such as {@code --augment}); {@code text}, as the user wrote it, is what messages quote.
     */
    public static Map<String, String> pairs(String option, String text, String body) {
        Map<String, String> values = new LinkedHashMap<>();
        if (body.isEmpty()) return values;
        for (String pair : body.split(",", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1)
                throw new UserError(option + " " + text + ": '" + pair + "' is not key=value");
            String key = pair.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT);
            if (values.put(key, pair.substring(eq + 1).trim()) != null)
                throw new UserError(option + " " + text + ": key '" + key + "' given twice");
        }
        return values;
    }

    /** Builds a record of {@code defaults}' type with this spec's values in place of the defaults. */
    public <R extends Record> R bind(R defaults) {
        RecordComponent[] components = defaults.getClass().getRecordComponents();
        Map<String, RecordComponent> byKey = new LinkedHashMap<>();
        for (RecordComponent c : components) byKey.put(snake(c.getName()), c);
        for (String key : values.keySet())
            if (!byKey.containsKey(key))
                throw error("unknown key '" + key + "' for " + name + " (valid: " + String.join(", ", byKey.keySet()) + ")");
        Object[] args = new Object[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                RecordComponent c = components[i];
                String raw = values.get(snake(c.getName()));
                args[i] = raw == null ? accessor(c).invoke(defaults) : convert(snake(c.getName()), raw, c.getType());
            }
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            var constructor = defaults.getClass().getDeclaredConstructor(types);
            constructor.setAccessible(true); // hyperparameter records may be package-private
            @SuppressWarnings("unchecked")
            R bound = (R) constructor.newInstance(args);
            return bound;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) throw error(bad.getMessage());
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The keys a record of this type accepts, with their defaults, for help text. */
    public static String describe(Record defaults) {
        return Arrays.stream(defaults.getClass().getRecordComponents()).map(c -> {
            try {
                Object v = accessor(c).invoke(defaults);
                String shown = c.isAnnotationPresent(Required.class) ? "<required>"
                        : v instanceof double[] a ? Arrays.stream(a).mapToObj(Spec::number).collect(Collectors.joining("|"))
                        : v instanceof int[] a ? Arrays.stream(a).mapToObj(Integer::toString).collect(Collectors.joining("|"))
                        : v instanceof Double d ? number(d)
                        : String.valueOf(v);
                return snake(c.getName()) + "=" + shown;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.joining(","));
    }

    /**
     * A number as Python's repr writes it, as PyTorch's signatures show defaults: the shortest digits that read back
     * to it, in exponent form below 1e-4 and from 1e16 ({@code 1e-08}, {@code 0.0001}, {@code 1000000.0}).
     */
    static String number(double v) {
        if (v == 0 || !Double.isFinite(v)) return Double.isNaN(v) ? "nan" : v == 0 ? (1 / v < 0 ? "-0.0" : "0.0") : v > 0 ? "inf" : "-inf";
        java.math.BigDecimal d = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros();
        int exponent = d.precision() - d.scale() - 1; // of the leading digit
        if (exponent < -4 || exponent >= 16) {
            String digits = d.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (v < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        String plain = d.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    /** Help's line for one method: {@code NAME:key=default,...  (summary)}, {@link #wrap wrapped}. */
    public static String help(String name, Record defaults, String summary) {
        return wrap(name + ":" + describe(defaults) + "  (" + summary + ")");
    }

    /** Help's width: picocli's usage width, which otherwise breaks a longer line anywhere, inside a number too. */
    static final int WIDTH = 80;

    /**
     * A line of help indented by two, broken after a comma or at a space so that no line passes {@link #WIDTH}, the
     * lines after the first indented by six.
     */
    public static String wrap(String text) {
        StringBuilder out = new StringBuilder("  ");
        int lineStart = 0;
        for (String token : text.split("(?<=,)|(?<= )")) {
            if (out.length() - lineStart + token.length() > WIDTH && out.length() - lineStart > 6) {
                while (out.charAt(out.length() - 1) == ' ') out.setLength(out.length() - 1);
                out.append('\n');
                lineStart = out.length();
                out.append("      ");
                token = token.stripLeading();
            }
            out.append(token);
        }
        return out.toString();
    }

    private static java.lang.reflect.Method accessor(RecordComponent c) {
        java.lang.reflect.Method m = c.getAccessor();
        m.setAccessible(true);
        return m;
    }

    /** {@code raw} as numbers separated by {@code |}, the list values of {@link #bind}; a {@link UserError} naming {@code key} otherwise. */
    public double[] numbers(String key, String raw) {
        return (double[]) convert(key, raw, double[].class);
    }

    public UserError error(String message) {
        return new UserError(option + " " + text + ": " + message);
    }

    private Object convert(String key, String raw, Class<?> type) {
        try {
            if (type == double.class) return parseDouble(raw);
            if (type == int.class) return Integer.parseInt(raw);
            if (type == long.class) return Long.parseLong(raw);
            if (type == String.class) return raw;
            if (type == boolean.class) {
                if (raw.equals("true") || raw.equals("false")) return Boolean.parseBoolean(raw);
                throw error(key + "=" + raw + " is not a boolean (true or false)");
            }
            if (type == double[].class) return Arrays.stream(raw.split("\\|", -1)).mapToDouble(Spec::parseDouble).toArray();
            if (type == int[].class) return Arrays.stream(raw.split("\\|", -1)).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        } catch (NumberFormatException e) {
            String expected = type == double.class ? "a number" : type == double[].class ? "numbers separated by |"
                    : type == int[].class ? "whole numbers separated by |" : "a whole number";
            throw error(key + "=" + raw + " is not " + expected);
        }
        throw new IllegalStateException("no conversion to " + type);
    }

    private static double parseDouble(String s) {
        String t = s.trim();
        // Java also reads "1d", "0x1p3" and "Infinity"; the grammar is plain decimal numbers
        if (!t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?(inf|nan)")) throw new NumberFormatException(s);
        return t.endsWith("inf") ? (t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                : t.endsWith("nan") ? Double.NaN : Double.parseDouble(t);
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
