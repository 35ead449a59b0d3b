// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title ProviderStake
/// @notice Providers lock tokens as a bond for honest work. An arbiter who
/// finds a provider at fault (a wrong result, a broken promise) slashes part
/// of the bond and sends it to the consumer who was harmed, recording a digest
/// of the evidence on chain.
///
/// Unstaking is two-step (request, wait unstakeDelay, unstake) so a provider
/// cannot pull its bond out between misbehaving and being slashed; slashes
/// during the wait come out of the same bond.
///
/// @dev The deployer holds DEFAULT_ADMIN_ROLE and can grant or revoke
/// ARBITER_ROLE; the constructor's arbiter gets ARBITER_ROLE. The token must be
/// a plain ERC-20.
contract ProviderStake is AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice May call slash().
    bytes32 public constant ARBITER_ROLE = keccak256("ARBITER_ROLE");

    /// @notice A provider's request to take stake out.
    /// @param amount how much was asked for
    /// @param availableAt unix time from which unstake() succeeds
    struct Unstake {
        uint256 amount;
        uint64 availableAt;
    }

    /// @notice The staking token.
    IERC20 public immutable token;
    /// @notice Seconds between requestUnstake and the earliest unstake.
    uint64 public immutable unstakeDelay;

    mapping(address provider => uint256) private _stakes;
    mapping(address provider => Unstake) private _unstakes;

    /// @notice provider added amount to its stake.
    event Staked(address indexed provider, uint256 amount);
    /// @notice provider asked to unstake amount from availableAt on.
    event UnstakeRequested(address indexed provider, uint256 amount, uint64 availableAt);
    /// @notice provider took amount out (possibly less than requested: slashes came first).
    event Unstaked(address indexed provider, uint256 amount);
    /// @notice arbiter took amount of provider's stake and gave it to consumer.
    /// @param evidenceDigest names the evidence (for example the SHA-256 of a signed task result)
    event Slashed(
        address indexed provider,
        address indexed consumer,
        uint256 amount,
        bytes32 indexed evidenceDigest,
        address arbiter
    );

    /// @notice A constructor argument is unusable; the name says which.
    error InvalidParameter(string name);
    /// @notice An amount of zero where a positive amount is needed.
    error ZeroAmount();
    /// @notice Asked for more than the provider has staked.
    error InsufficientStake(uint256 requested, uint256 staked);
    /// @notice unstake() with no request pending.
    error NoPendingUnstake();
    /// @notice unstake() before the delay has passed.
    error UnstakeNotReady(uint64 availableAt);
    /// @notice slash() naming the zero address as the consumer.
    error InvalidConsumer();

    /// @param token_ staking token (a plain ERC-20)
    /// @param unstakeDelay_ seconds a provider waits between request and unstake
    /// @param arbiter receives ARBITER_ROLE
    constructor(IERC20 token_, uint64 unstakeDelay_, address arbiter) {
        if (address(token_) == address(0)) revert InvalidParameter("token");
        if (arbiter == address(0)) revert InvalidParameter("arbiter");
        token = token_;
        unstakeDelay = unstakeDelay_;
        _grantRole(DEFAULT_ADMIN_ROLE, msg.sender);
        _grantRole(ARBITER_ROLE, arbiter);
    }

    /// @notice Adds amount of the caller's tokens to its stake. The caller
    /// must first approve this contract for at least amount.
    function stake(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        _stakes[msg.sender] += amount;
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit Staked(msg.sender, amount);
    }

    /// @notice Starts the unstake delay for amount. A new request replaces the
    /// pending one and restarts the delay.
    function requestUnstake(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        uint256 staked = _stakes[msg.sender];
        if (amount > staked) revert InsufficientStake(amount, staked);
        uint64 availableAt = uint64(block.timestamp) + unstakeDelay;
        _unstakes[msg.sender] = Unstake(amount, availableAt);
        emit UnstakeRequested(msg.sender, amount, availableAt);
    }

    /// @notice Pays out the pending unstake once its delay has passed: the
    /// smaller of the amount requested and the stake left after any slashes.
    /// @return paid what was transferred to the caller
    function unstake() external nonReentrant returns (uint256 paid) {
        Unstake memory u = _unstakes[msg.sender];
        if (u.availableAt == 0) revert NoPendingUnstake();
        if (block.timestamp < u.availableAt) revert UnstakeNotReady(u.availableAt);
        delete _unstakes[msg.sender];
        uint256 staked = _stakes[msg.sender];
        paid = u.amount < staked ? u.amount : staked;
        _stakes[msg.sender] = staked - paid;
        if (paid > 0) token.safeTransfer(msg.sender, paid);
        emit Unstaked(msg.sender, paid);
    }

    /// @notice Takes amount of provider's stake and sends it to consumer.
    /// Reverts rather than taking less when the stake is short, so the
    /// arbiter's decision is carried out exactly or not at all.
    /// @param provider whose stake is slashed
    /// @param amount base units to take, at most stakeOf(provider)
    /// @param consumer who was harmed and receives amount
    /// @param evidenceDigest digest of the evidence the decision rests on
    function slash(address provider, uint256 amount, address consumer, bytes32 evidenceDigest)
        external
        nonReentrant
        onlyRole(ARBITER_ROLE)
    {
        if (amount == 0) revert ZeroAmount();
        if (consumer == address(0)) revert InvalidConsumer();
        uint256 staked = _stakes[provider];
        if (amount > staked) revert InsufficientStake(amount, staked);
        _stakes[provider] = staked - amount;
        token.safeTransfer(consumer, amount);
        emit Slashed(provider, consumer, amount, evidenceDigest, msg.sender);
    }

    /// @notice provider's current stake, including any amount pending unstake.
    function stakeOf(address provider) external view returns (uint256) {
        return _stakes[provider];
    }

    /// @notice provider's pending unstake; availableAt is zero when none.
    function pendingUnstake(address provider) external view returns (Unstake memory) {
        return _unstakes[provider];
    }
}
