package io.chainseal.chain;

/**
 * A journal refused a write because this process no longer holds the right to write it: another
 * process leads the journal now (it took over after this one's lease lapsed). The caller must stop
 * signing and sending at once; whatever it had journaled, the new leader carries on.
 */
public class LeaseLostException extends JournalException {
  private static final long serialVersionUID = 1L;

  public LeaseLostException(String message) {
    super(message, false);
  }

  public LeaseLostException(String message, Throwable cause) {
    super(message, false, cause);
  }
}
