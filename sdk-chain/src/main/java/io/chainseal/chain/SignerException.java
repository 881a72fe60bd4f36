package io.chainseal.chain;

/**
 * An {@link EvmSigner} could not sign, or returned a signature that is not its key's. The message
 * names the account, never key material. A sender rides it out (it tries again later); a direct
 * caller sees it at once.
 */
public class SignerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SignerException(String message) {
    super(message);
  }

  public SignerException(String message, Throwable cause) {
    super(message, cause);
  }
}
