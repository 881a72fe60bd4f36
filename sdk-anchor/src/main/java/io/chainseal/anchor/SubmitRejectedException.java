package io.chainseal.anchor;

import org.jspecify.annotations.Nullable;

/**
 * {@link Anchorer#submit} did not accept a message. {@link #reason()} says why; {@link #retryable()}
 * whether the same call may succeed later.
 */
public final class SubmitRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a submission was refused. */
  public enum Reason {
    /** More messages await confirmation than the configured backlog allows; try later. */
    BACKLOG_FULL(true),
    /** The anchorer is closing or closed. */
    CLOSED(false),
    /** The same conversation and message id was submitted before with a different commitment. */
    CONFLICT(false),
    /** The journal could not store the message; nothing was accepted. */
    JOURNAL_FAILURE(true);

    private final boolean retryable;

    Reason(boolean retryable) {
      this.retryable = retryable;
    }
  }

  private final Reason reason;

  public SubmitRejectedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public SubmitRejectedException(Reason reason, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  public boolean retryable() {
    return reason.retryable;
  }
}
