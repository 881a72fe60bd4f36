package io.chainseal.chain;

/**
 * Where a {@link TransactionIntent} is in its life. The transitions, all journaled before they take
 * effect (see {@link TransactionSender}):
 *
 * <pre>
 * PENDING ──sign at a new nonce (after the applied-check)──▶ SENT ──receipt, status 1──▶ MINED ──k blocks──▶ CONFIRMED
 *    ▲                                                         │  ▲                         │                  │
 *    │◀──receipt, status 0 (reverts &lt; max) / nonce taken──────┘  └──reorganized away───────┴──────────────────┘
 *    └──reverts = max──▶ FAILED
 * SENT ──stuck or underpriced, or sped up──▶ SENT (a replacement at the same nonce, higher fees)
 * PENDING ──cancel──▶ CANCELLED;  SENT ──cancel──▶ SENT (a zero-value self-transfer at the same nonce) ──mined──▶ CANCELLED
 * </pre>
 */
public enum IntentState {
  /** Accepted; no live signed attempt (never signed, or every attempt was retired). */
  PENDING,
  /** A signed attempt is journaled and broadcast; none mined yet. */
  SENT,
  /** An attempt was mined with status 1; waiting for confirmations. */
  MINED,
  /** Mined and confirmed. Watched for reorganizations for a while longer. */
  CONFIRMED,
  /** Given up: it reverted as many times as allowed, or the chain refuses it. Needs an operator. */
  FAILED,
  /** Cancelled at the caller's request: nothing was sent, or a zero-value self-transfer took its nonce. */
  CANCELLED;

  /** Whether the intent still needs the sender's attention. */
  public boolean isOpen() {
    return this != CONFIRMED && this != FAILED && this != CANCELLED;
  }
}
