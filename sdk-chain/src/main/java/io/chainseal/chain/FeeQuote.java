package io.chainseal.chain;

import java.math.BigInteger;

/**
 * EIP-1559 fees for one transaction: twice the latest base fee plus the tip, capped.
 *
 * @param maxFeePerGas the most the sender pays per gas, in wei
 * @param maxPriorityFeePerGas the tip per gas, in wei
 */
public record FeeQuote(BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
  /** 500 gwei. */
  public static final BigInteger DEFAULT_MAX_FEE_CAP = BigInteger.valueOf(500_000_000_000L);

  /** The fees to offer now: twice the latest block's base fee plus the node's suggested tip, within {@code cap}. */
  public static FeeQuote current(ChainClient chain, BigInteger cap) {
    long head = chain.blockNumber();
    BigInteger baseFee = chain.block(head).map(ChainBlock::baseFeePerGas).orElse(BigInteger.ZERO);
    BigInteger tip = chain.maxPriorityFeePerGas().min(cap);
    BigInteger max = baseFee.shiftLeft(1).add(tip).min(cap);
    return new FeeQuote(max, tip.min(max));
  }
}
