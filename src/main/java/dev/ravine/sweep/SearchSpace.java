package dev.ravine.sweep;

import dev.ravine.UserError;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An optimizer spec with alternatives, as {@code ravine sweep --optimizer} takes it: {@code adam:lr={1e-3,3e-3},eps=1e-8}
 * gives one concrete spec per alternative (several braces: every combination), and {@code lr=loguniform(1e-4,1e-1)}
 * or {@code uniform(a,b)} a distribution that random search draws from.
 */
public final class SearchSpace {
    private final String text, name;
    /** Each key=value item; a value is one of its alternatives, or a distribution. */
    private final List<Item> items;

    private record Item(String key, List<String> alternatives, Distribution distribution) {
    }

    private record Distribution(boolean logarithmic, double low, double high) {
        double draw(SplittableRandom r) {
            double u = r.nextDouble();
            return logarithmic ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : low + u * (high - low);
        }
    }

    private SearchSpace(String text, String name, List<Item> items) {
        this.text = text;
        this.name = name;
        this.items = items;
    }

    public static SearchSpace parse(String text) {
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        List<Item> items = new ArrayList<>();
        if (colon >= 0) {
            for (String item : splitTopLevel(text.substring(colon + 1), text)) {
                int eq = item.indexOf('=');
                if (eq < 1) throw error(text, "'" + item + "' is not key=value");
                String key = item.substring(0, eq).strip(), value = item.substring(eq + 1).strip();
                if (value.startsWith("{")) {
                    if (!value.endsWith("}")) throw error(text, "'" + value + "' opens a brace it does not close");
                    List<String> alternatives = splitTopLevel(value.substring(1, value.length() - 1), text);
                    if (alternatives.isEmpty() || alternatives.stream().anyMatch(String::isBlank))
                        throw error(text, "'" + value + "' has an empty alternative");
                    items.add(new Item(key, alternatives.stream().map(String::strip).toList(), null));
                } else if (value.startsWith("loguniform(") || value.startsWith("uniform(")) {
                    items.add(new Item(key, List.of(), distribution(value, text)));
                } else {
                    items.add(new Item(key, List.of(value), null));
                }
            }
        }
        return new SearchSpace(text, name, items);
    }

    private static Distribution distribution(String value, String text) {
        boolean log = value.startsWith("log");
        if (!value.endsWith(")")) throw error(text, "'" + value + "' does not close its parenthesis");
        String[] bounds = value.substring(value.indexOf('(') + 1, value.length() - 1).split(",", -1);
        if (bounds.length != 2) throw error(text, "'" + value + "' expected two bounds, (low,high)");
        double low, high;
        try {
            low = Double.parseDouble(bounds[0].strip());
            high = Double.parseDouble(bounds[1].strip());
        } catch (NumberFormatException e) {
            throw error(text, "'" + value + "' has a bound that is not a number");
        }
        if (!(low < high) || !Double.isFinite(low) || !Double.isFinite(high) || log && !(low > 0))
            throw error(text, "'" + value + "' expected finite bounds low < high" + (log ? ", low > 0" : ""));
        return new Distribution(log, low, high);
    }

    /** Splits on commas outside braces and parentheses. */
    private static List<String> splitTopLevel(String s, String text) {
        List<String> out = new ArrayList<>();
        int depth = 0, from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{' || c == '(') depth++;
            else if (c == '}' || c == ')') depth--;
            if (depth < 0) throw error(text, "a closing '" + c + "' without its opening one");
            if (c == ',' && depth == 0) {
                out.add(s.substring(from, i));
                from = i + 1;
            }
        }
        if (depth != 0) throw error(text, "an opening brace or parenthesis is not closed");
        if (from < s.length() || !out.isEmpty()) out.add(s.substring(from));
        return out;
    }

    private static UserError error(String text, String problem) {
        return UserError.setting("optimizer", text, problem);
    }

    /** The optimizer's name, before the colon. */
    public String name() {
        return name;
    }

    public boolean hasDistribution() {
        return items.stream().anyMatch(i -> i.distribution() != null);
    }

    /** Every combination of the alternatives, in order (the first key varying slowest). */
    public List<String> grid() {
        if (hasDistribution()) throw error(text, "a distribution is for random search (--search random:N); a grid takes {a,b,...}");
        List<String> out = new ArrayList<>();
        combine(0, new ArrayList<>(), out);
        return out;
    }

    private void combine(int at, List<String> chosen, List<String> out) {
        if (at == items.size()) {
            out.add(spec(chosen));
            return;
        }
        for (String v : items.get(at).alternatives()) {
            chosen.add(v);
            combine(at + 1, chosen, out);
            chosen.remove(chosen.size() - 1);
        }
    }

    /** One draw: an alternative of each brace chosen uniformly, each distribution sampled (to 4 significant digits). */
    public String draw(SplittableRandom r) {
        List<String> chosen = new ArrayList<>();
        for (Item i : items)
            chosen.add(i.distribution() != null ? new BigDecimal(i.distribution().draw(r)).round(new MathContext(4)).toString()
                    : i.alternatives().get(r.nextInt(i.alternatives().size())));
        return spec(chosen);
    }

    private String spec(List<String> values) {
        StringBuilder sb = new StringBuilder(name);
        for (int i = 0; i < items.size(); i++) sb.append(i == 0 ? ':' : ',').append(items.get(i).key()).append('=').append(values.get(i));
        return sb.toString();
    }
}
