/** Chainseal core: commitments, RFC 9162 Merkle trees, signatures, proofs, offline verification. */
module io.chainseal.core {
  requires com.fasterxml.jackson.databind;
  requires org.bouncycastle.provider;
  requires org.slf4j;
  requires static transitive org.jspecify; // its @Nullable is part of the API

  exports io.chainseal.core;
}
