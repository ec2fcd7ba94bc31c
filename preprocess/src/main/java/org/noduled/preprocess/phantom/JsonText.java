package org.noduled.preprocess.phantom;

import java.util.Locale;

/**
 * A minimal pretty-printing JSON writer: enough for truth.json, stats.json and volume.json without a JSON
 * library in preprocess (the training machine runs this package on java.base alone). Numbers are written
 * with a fixed number of decimals so the files are byte-identical for a seed.
 */
final class JsonText {

    private final StringBuilder out = new StringBuilder();
    private int depth;
    private boolean first = true;

    JsonText beginObject() {
        return open('{', null);
    }

    JsonText beginObject(String name) {
        return open('{', name);
    }

    JsonText beginArray(String name) {
        return open('[', name);
    }

    JsonText endObject() {
        return close('}');
    }

    JsonText endArray() {
        return close(']');
    }

    JsonText field(String name, String value) {
        return raw(name, quote(value));
    }

    JsonText field(String name, long value) {
        return raw(name, Long.toString(value));
    }

    /** A number with {@code decimals} digits after the point. */
    JsonText field(String name, double value, int decimals) {
        return raw(name, number(value, decimals));
    }

    /** A one-line array of numbers with {@code decimals} digits after the point. */
    JsonText field(String name, double[] values, int decimals) {
        StringBuilder b = new StringBuilder("[");
        for (int n = 0; n < values.length; n++) {
            b.append(n == 0 ? "" : ", ").append(number(values[n], decimals));
        }
        return raw(name, b.append(']').toString());
    }

    @Override
    public String toString() {
        return out + "\n";
    }

    private JsonText open(char bracket, String name) {
        separate(name);
        out.append(bracket);
        depth++;
        first = true;
        return this;
    }

    private JsonText close(char bracket) {
        depth--;
        if (!first) {
            newline();
        }
        out.append(bracket);
        first = false;
        return this;
    }

    private JsonText raw(String name, String value) {
        separate(name);
        out.append(value);
        return this;
    }

    private void separate(String name) {
        if (depth > 0) {
            if (!first) {
                out.append(',');
            }
            newline();
        }
        first = false;
        if (name != null) {
            out.append(quote(name)).append(": ");
        }
    }

    private void newline() {
        out.append('\n').append("  ".repeat(depth));
    }

    static String number(double value, int decimals) {
        String s = String.format(Locale.ROOT, "%." + decimals + "f", value);
        return s.matches("-0\\.?0*") ? s.substring(1) : s;
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
