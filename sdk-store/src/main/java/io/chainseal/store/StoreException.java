package io.chainseal.store;

import org.jspecify.annotations.Nullable;

/** The message store could not do what was asked (its database, a key, a stored record). Never holds content or keys. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
