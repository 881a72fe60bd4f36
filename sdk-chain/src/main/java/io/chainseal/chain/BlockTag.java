package io.chainseal.chain;

/** The named blocks of the JSON-RPC block parameter. */
public enum BlockTag {
  /** The head of the node's canonical chain. */
  LATEST("latest"),
  /** The most recent block the consensus layer considers safe from reorganization in practice. */
  SAFE("safe"),
  /** The most recent block the consensus layer has finalized: it cannot be reorganized away. */
  FINALIZED("finalized");

  private final String rpcName;

  BlockTag(String rpcName) {
    this.rpcName = rpcName;
  }

  /** The tag as JSON-RPC spells it. */
  public String rpcName() {
    return rpcName;
  }
}
