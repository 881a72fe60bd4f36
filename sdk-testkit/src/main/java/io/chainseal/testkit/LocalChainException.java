package io.chainseal.testkit;

/**
 * The local chain could not be started, reached or driven: the Anvil binary is missing, the node
 * exited, an RPC call failed or timed out. The message says which, and what to do about it.
 */
public final class LocalChainException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LocalChainException(String message) {
    super(message);
  }

  public LocalChainException(String message, Throwable cause) {
    super(message, cause);
  }
}
