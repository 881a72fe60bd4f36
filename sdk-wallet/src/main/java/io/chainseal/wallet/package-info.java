/**
 * Chainseal wallet: keys, payments (ETH and ERC-20) with idempotency, payment requests, and payment channels.
 */
@NullMarked
package io.chainseal.wallet;

import org.jspecify.annotations.NullMarked;
