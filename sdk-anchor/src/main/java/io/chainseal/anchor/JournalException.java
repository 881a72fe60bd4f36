package io.chainseal.anchor;

/** The journal could not be read or written (disk full, database locked, file unreadable). */
public final class JournalException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JournalException(String message, Throwable cause) {
    super(message, cause);
  }
}
