package dev.ravine.track;

import dev.ravine.UserError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One instrument to run while training ({@code --track NAME[:every=N],...}): its name, how far apart it measures
 * ({@code every=N} epochs, or {@code steps=N} optimizer steps), and its own keys. In the list form, {@code key=value}
 * items belong to the instrument named before them: {@code sharpness:steps=64,rows=512,noise_scale:batch=64}.
 *
 * @param every epochs between measurements, at epoch ends (ignored when {@code steps} is set)
 * @param steps optimizer steps between measurements, after the step; 0 to measure at epoch ends
 */
public record Track(String name, int every, int steps, Map<String, String> keys) {
    /** The instruments and the keys each takes besides {@code every}. */
    public static final Map<String, List<String>> KNOWN = Map.of(
            "sharpness", List.of("rows", "tolerance", "products", "minibatch"),
            "noise_scale", List.of("batch", "minibatch"),
            "subspace_overlap", List.of("rows", "k", "tolerance", "minibatch"),
            "preconditioned_sharpness", List.of("rows", "tolerance", "products", "minibatch"),
            "layers", List.of("rows", "minibatch"),
            "alpha", List.of());

    public Track {
        if (!KNOWN.containsKey(name))
            throw UserError.setting("track", name, "unknown instrument (valid: " + KNOWN.keySet().stream().sorted().collect(Collectors.joining(", ")) + ")");
        if (every < 1) throw UserError.setting("track", name + ":every=" + every, "expected every=1 or more (epochs)");
        if (steps < 0) throw UserError.setting("track", name + ":steps=" + steps, "expected steps=1 or more");
        for (String k : keys.keySet())
            if (!KNOWN.get(name).contains(k))
                throw UserError.setting("track", name + ":" + k, "unknown key for " + name + " (valid: every" + KNOWN.get(name).stream().map(x -> ", " + x)
                        .collect(Collectors.joining()) + ")");
        keys = Map.copyOf(keys);
    }

    public static List<Track> parse(String text) {
        List<Track> out = new ArrayList<>();
        String name = null;
        Map<String, String> keys = new LinkedHashMap<>();
        int every = 1, steps = 0;
        boolean everyGiven = false;
        for (String item : text.split(",", -1)) {
            item = item.strip();
            int colon = item.indexOf(':');
            String kv = item;
            if (!item.contains("=") || (colon >= 0 && colon < item.indexOf('='))) { // a new instrument
                if (name != null) out.add(new Track(name, every, steps, keys));
                name = colon < 0 ? item : item.substring(0, colon);
                keys = new LinkedHashMap<>();
                every = 1;
                steps = 0;
                everyGiven = false;
                if (colon < 0) continue;
                kv = item.substring(colon + 1);
            }
            if (name == null) throw UserError.setting("track", text, "a key=value before any instrument's name");
            int eq = kv.indexOf('=');
            if (eq < 1) throw UserError.setting("track", text, "'" + kv + "' is not key=value");
            String k = kv.substring(0, eq), v = kv.substring(eq + 1);
            if (k.equals("every") || k.equals("steps")) {
                int n;
                try {
                    n = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    throw UserError.setting("track", text, k + "=" + v + " is not a whole number of " + (k.equals("every") ? "epochs" : "steps"));
                }
                if (k.equals("every")) {
                    every = n;
                    everyGiven = true;
                } else {
                    if (n < 1) throw UserError.setting("track", name + ":steps=" + n, "expected steps=1 or more");
                    steps = n;
                }
                if (everyGiven && steps > 0) throw UserError.setting("track", text, name + " is given both every= (epochs) and steps=; choose one");
            } else {
                keys.put(k, v);
            }
        }
        if (name != null) out.add(new Track(name, every, steps, keys));
        if (out.isEmpty()) throw UserError.setting("track", text, "no instrument named");
        // an instrument's columns have one name each: a second one would write over the first's figures
        Set<String> named = new HashSet<>();
        for (Track t : out)
            if (!named.add(t.name())) throw UserError.setting("track", text, t.name() + " is named twice; its columns can hold one measurement");
        return out;
    }

    /** A key's value as a number, or {@code otherwise} when absent. */
    double number(String key, double otherwise) {
        String v = keys.get(key);
        if (v == null) return otherwise;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw UserError.setting("track", name + ":" + key + "=" + v, "expected a number");
        }
    }

    /** The spec as written back (run.json). */
    public String text() {
        StringBuilder sb = new StringBuilder(name).append(steps > 0 ? ":steps=" + steps : ":every=" + every);
        keys.forEach((k, v) -> sb.append(',').append(k).append('=').append(v));
        return sb.toString();
    }
}
