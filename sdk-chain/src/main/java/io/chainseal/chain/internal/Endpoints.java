package io.chainseal.chain.internal;

import java.net.URI;
import java.net.URISyntaxException;

/** How endpoint URLs appear in messages and logs. Not API. */
public final class Endpoints {
  private Endpoints() {}

  /**
   * {@code url} without what may be secret: hosted RPC endpoints carry API keys in the path
   * ({@code /v3/KEY}), the query ({@code ?apikey=}) or the user info. Keeps scheme, host and port, and
   * shows that a path or query was there as {@code /…}.
   */
  public static String redact(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getScheme() == null || uri.getHost() == null) {
        return "<endpoint>";
      }
      boolean more = uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
          || uri.getRawQuery() != null || uri.getRawFragment() != null;
      return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "") + (more ? "/…" : "");
    } catch (URISyntaxException e) {
      return "<endpoint>";
    }
  }
}
