package io.chainseal.anchor;

import io.chainseal.chain.BlockTag;
import io.chainseal.chain.ChainBlock;
import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainLog;
import io.chainseal.chain.ChainReceipt;

import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Counts the calls made through a real client, to check caching. */
final class CountingChainClient implements ChainClient {
  private final ChainClient delegate;
  final AtomicInteger receipts = new AtomicInteger();
  final AtomicInteger blocks = new AtomicInteger();
  final AtomicInteger blockNumbers = new AtomicInteger();
  final AtomicInteger logQueries = new AtomicInteger();

  CountingChainClient(ChainClient delegate) {
    this.delegate = delegate;
  }

  @Override
  public long chainId() {
    return delegate.chainId();
  }

  @Override
  public long blockNumber() {
    blockNumbers.incrementAndGet();
    return delegate.blockNumber();
  }

  @Override
  public Optional<ChainBlock> block(long number) {
    blocks.incrementAndGet();
    return delegate.block(number);
  }

  @Override
  public Optional<ChainBlock> block(BlockTag tag) {
    if (tag == BlockTag.LATEST) {
      blockNumbers.incrementAndGet();
    } else {
      blocks.incrementAndGet();
    }
    return delegate.block(tag);
  }

  @Override
  public Optional<ChainReceipt> receipt(Hash32 transactionHash) {
    receipts.incrementAndGet();
    return delegate.receipt(transactionHash);
  }

  @Override
  public long transactionCount(EvmAddress address, boolean pending) {
    return delegate.transactionCount(address, pending);
  }

  @Override
  public long transactionCount(EvmAddress address, long blockNumber) {
    return delegate.transactionCount(address, blockNumber);
  }

  @Override
  public Hash32 sendRawTransaction(byte[] signedTransaction) {
    return delegate.sendRawTransaction(signedTransaction);
  }

  @Override
  public BigInteger maxPriorityFeePerGas() {
    return delegate.maxPriorityFeePerGas();
  }

  @Override
  public BigInteger estimateGas(EvmAddress from, @Nullable EvmAddress to, BigInteger value, byte[] data) {
    return delegate.estimateGas(from, to, value, data);
  }

  @Override
  public byte[] call(EvmAddress to, byte[] data, long blockNumber) {
    return delegate.call(to, data, blockNumber);
  }

  @Override
  public BigInteger balance(EvmAddress address) {
    return delegate.balance(address);
  }

  @Override
  public java.util.Optional<io.chainseal.chain.ChainTransaction> transaction(Hash32 hash) {
    return delegate.transaction(hash);
  }

  @Override
  public java.util.List<ChainLog> logs(EvmAddress address, java.util.List<java.util.Set<Hash32>> topics, long fromBlock, long toBlock) {
    logQueries.incrementAndGet();
    return delegate.logs(address, topics, fromBlock, toBlock);
  }

  @Override
  public byte[] call(EvmAddress to, byte[] data) {
    return delegate.call(to, data);
  }

  @Override
  public String endpoint() {
    return delegate.endpoint();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
