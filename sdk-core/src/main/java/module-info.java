/** Chainseal core: commitments, RFC 9162 Merkle trees, signatures, proofs, offline verification. */
module io.chainseal.core {
  requires com.fasterxml.jackson.databind;
  requires org.bouncycastle.provider;
  requires org.slf4j;
  requires static org.jspecify;

  exports io.chainseal.core;
}
