package dev.acstoken.cli;

import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A small JSON object writer for {@code --output json}: ordered fields, strings escaped. */
final class Json {
  private final Map<String, @Nullable Object> fields = new LinkedHashMap<>();

  static Json object() {
    return new Json();
  }

  Json put(String name, @Nullable Object value) {
    fields.put(name, value);
    return this;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    write(sb, this);
    return sb.toString();
  }

  private static void write(StringBuilder sb, @Nullable Object value) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof Json) {
      sb.append('{');
      Iterator<Map.Entry<String, @Nullable Object>> it =
          ((Json) value).fields.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<String, @Nullable Object> e = it.next();
        quote(sb, e.getKey());
        sb.append(':');
        write(sb, e.getValue());
        if (it.hasNext()) {
          sb.append(',');
        }
      }
      sb.append('}');
    } else if (value instanceof Collection) {
      sb.append('[');
      Iterator<?> it = ((Collection<?>) value).iterator();
      while (it.hasNext()) {
        write(sb, it.next());
        if (it.hasNext()) {
          sb.append(',');
        }
      }
      sb.append(']');
    } else if (value instanceof Number || value instanceof Boolean) {
      sb.append(value);
    } else {
      quote(sb, value.toString());
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
