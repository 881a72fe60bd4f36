package io.chainseal.chain;

/**
 * A journal could not be read or written (disk full, database down or locked, file unreadable).
 * Nothing was written by the failed call. {@link #retryable()} says whether trying again later may
 * succeed (a database that restarts) or not (a journal that belongs to another publisher).
 */
public class JournalException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  public JournalException(String message, Throwable cause) {
    this(message, true, cause);
  }

  public JournalException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  public JournalException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
