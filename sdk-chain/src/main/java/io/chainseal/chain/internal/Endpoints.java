package io.chainseal.chain.internal;

import java.net.URI;
import java.net.URISyntaxException;
import org.jspecify.annotations.Nullable;

/** How endpoint URLs appear in messages and logs. Not API. */
public final class Endpoints {
  private Endpoints() {}

  /**
   * {@code url} without what may be secret: hosted RPC endpoints carry API keys in the path
   * ({@code /v3/KEY}), the query ({@code ?apikey=}), the user info, or a subdomain. Keeps scheme, host
   * (minus key-like labels) and port, and shows that a path or query was there as {@code /…}.
   */
  /**
   * The host, with any label that looks like a key (some providers put it in a subdomain:
   * {@code https://<key>.provider.example}) shown as {@code ***}: a label of 20 characters or more, or
   * of 12 or more that mixes letters and digits. Names such as {@code eth-mainnet} stay readable.
   */
  static String host(String host) {
    if (host.startsWith("[") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
      return host; // an IP address
    }
    String[] labels = host.split("\\.", -1);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < labels.length; i++) {
      String label = labels[i];
      boolean letters = label.chars().anyMatch(Character::isLetter);
      boolean digits = label.chars().anyMatch(Character::isDigit);
      boolean secretLooking = label.length() >= 20 || (label.length() >= 12 && letters && digits);
      out.append(i > 0 ? "." : "").append(secretLooking ? "***" : label);
    }
    return out.toString();
  }

  /**
   * {@code text} with every appearance of {@code url}'s secrets removed: URLs redacted as by
   * {@link #redact}, and the bare host (which network errors quote: "Failed to connect to host/ip",
   * {@code UnknownHostException}) shown as {@link #host} shows it.
   */
  public static String scrub(@Nullable String text, String url) {
    if (text == null) {
      return "";
    }
    String out = text.replaceAll("https?://\\S+", "<endpoint>");
    try {
      String rawHost = new URI(url).getHost();
      if (rawHost != null && !rawHost.isEmpty()) {
        out = out.replace(rawHost, host(rawHost));
      }
    } catch (URISyntaxException e) {
      // nothing more to hide than the URLs
    }
    return out;
  }

  /**
   * A copy of {@code error}'s chain of causes with every message {@link #scrub scrubbed}, keeping
   * classes (in the message) and stack traces: what a host logs with a stack trace must not show a key.
   */
  public static @Nullable Throwable scrubbed(@Nullable Throwable error, String url) {
    if (error == null) {
      return null;
    }
    Exception copy = new Exception(error.getClass().getName() + ": " + scrub(error.getMessage(), url),
        scrubbed(error.getCause(), url));
    copy.setStackTrace(error.getStackTrace());
    return copy;
  }

  public static String redact(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getScheme() == null || uri.getHost() == null) {
        return "<endpoint>";
      }
      boolean more = (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
          || uri.getRawQuery() != null || uri.getRawFragment() != null;
      return uri.getScheme() + "://" + host(uri.getHost()) + (uri.getPort() >= 0 ? ":" + uri.getPort() : "") + (more ? "/…" : "");
    } catch (URISyntaxException e) {
      return "<endpoint>";
    }
  }
}
