package io.chainseal.core.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The one timestamp syntax of Chainseal's JSON documents (docs/proof-format.md §7.1): RFC 3339
 * {@code YYYY-MM-DDTHH:MM:SS[.fraction]Z} in UTC, upper-case {@code T} and {@code Z}, 1–9 fraction
 * digits, no offsets, no leap second; the value is truncated to whole milliseconds (toward the past).
 * {@link java.time.Instant#parse} is not used because it also takes offsets and leap seconds, which
 * another implementation would have to copy exactly. Not API.
 */
public final class Rfc3339 {
  private static final Pattern SYNTAX =
      Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?Z");

  private Rfc3339() {}

  /** The instant, truncated to milliseconds, or null if {@code text} is not in the syntax above. */
  public static @Nullable Instant parseMillis(String text) {
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      return null;
    }
    try {
      LocalDateTime time = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
          Integer.parseInt(m.group(6)));
      int nanos = m.group(7) == null ? 0 : Integer.parseInt((m.group(7) + "00000000").substring(0, 9));
      return time.toInstant(ZoneOffset.UTC).plusNanos(nanos).truncatedTo(ChronoUnit.MILLIS);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The instant in the form writers use: {@link Instant#toString()} of a millisecond instant (0 or 3 fraction digits). */
  public static String format(Instant millis) {
    return millis.truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
