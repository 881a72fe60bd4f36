// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice A tiny contract the testkit's own tests deploy to prove the one-call deployment helper.
contract Counter {
    uint256 public count;
    address public immutable creator;

    event Incremented(address indexed by, uint256 count);

    constructor(uint256 start) {
        count = start;
        creator = msg.sender;
    }

    function increment() external {
        count += 1;
        emit Incremented(msg.sender, count);
    }
}
