/** Internals of the wallet: not API, may change without notice. */
@NullMarked
package io.chainseal.wallet.internal;

import org.jspecify.annotations.NullMarked;
