// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title BonfireEscrow
/// @notice Holds consumers' (payers') deposits and pays providers (payees)
/// against off-chain, EIP-712 signed, cumulative vouchers.
///
/// A voucher says "payer owes payee cumulativeAmount in total so far". The
/// payer signs a new one as work is delivered, each with a larger amount, and
/// the payee keeps only the latest. A claim pays the difference between the
/// voucher and what the payee already claimed from that payer, so vouchers need
/// no nonces: replaying an old one pays nothing, and claiming late loses
/// nothing.
///
/// A payer may let a session key sign for it (a hot key on the consumer's
/// machine) with a lifetime cap, an expiry and a revocation switch, so the
/// wallet key stays cold.
///
/// Withdrawals are two-step: request, wait withdrawDelay, withdraw. Claims keep
/// working during the wait, which gives payees time to redeem vouchers before a
/// payer can empty its balance.
///
/// @dev The token must be a plain ERC-20: fee-on-transfer or rebasing tokens
/// would break the accounting (balances are credited with the amount asked
/// for, not measured).
contract BonfireEscrow is EIP712, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice A payer's promise to a payee: the total it owes so far.
    /// @param payer who pays (its deposit is debited)
    /// @param payee who is paid; must be the claimer
    /// @param cumulativeAmount total owed since the first voucher, in token base units
    struct Voucher {
        address payer;
        address payee;
        uint256 cumulativeAmount;
    }

    /// @notice A key that may sign vouchers on a payer's behalf.
    /// @param cap most it may ever authorise, in base units, over its lifetime
    /// @param spent how much has been paid out under its signatures so far
    /// @param expiry unix time from which it is no longer accepted
    /// @param revoked set by revokeSessionKey; re-authorising clears it
    struct SessionKey {
        uint128 cap;
        uint128 spent;
        uint64 expiry;
        bool revoked;
    }

    /// @notice A payer's request to take money out.
    /// @param amount how much was asked for
    /// @param availableAt unix time from which withdraw() succeeds
    struct Withdrawal {
        uint256 amount;
        uint64 availableAt;
    }

    /// @notice Why claim() passed over a voucher without paying it.
    enum SkipReason {
        NothingDue, // cumulativeAmount is not above what was already claimed
        NoBalance, // the payer has nothing deposited
        WrongPayee, // the voucher names someone other than the claimer
        BadSignature, // signed by neither the payer nor one of its session keys
        KeyRevoked, // signed by a session key the payer revoked
        KeyExpired, // signed by a session key past its expiry
        KeyOverCap // paying it would take the session key past its cap
    }

    /// @notice EIP-712 type hash of Voucher.
    bytes32 public constant VOUCHER_TYPEHASH =
        keccak256("Voucher(address payer,address payee,uint256 cumulativeAmount)");

    /// @notice Highest protocol fee the constructor accepts: 10%.
    uint16 public constant MAX_FEE_BPS = 1000;

    /// @notice The settlement token.
    IERC20 public immutable token;
    /// @notice Protocol fee in basis points (1/10000) taken from every payment.
    uint16 public immutable feeBps;
    /// @notice Who receives the protocol fee.
    address public immutable feeRecipient;
    /// @notice Seconds between requestWithdrawal and the earliest withdraw.
    uint64 public immutable withdrawDelay;

    mapping(address payer => uint256) private _balances;
    mapping(address payer => mapping(address payee => uint256)) private _claimed;
    mapping(address payer => mapping(address key => SessionKey)) private _sessionKeys;
    mapping(address payer => Withdrawal) private _withdrawals;

    /// @notice payer deposited amount.
    event Deposited(address indexed payer, uint256 amount);
    /// @notice A voucher was (partly) paid. amount is gross; the payee got amount - fee.
    /// @param signer the payer itself or the session key that signed
    event Claimed(
        address indexed payer,
        address indexed payee,
        address signer,
        uint256 amount,
        uint256 fee,
        uint256 claimedTotal
    );
    /// @notice A voucher in a claim was passed over; see SkipReason.
    event VoucherSkipped(address indexed payer, address indexed payee, SkipReason reason);
    /// @notice payer authorised key (or changed its cap or expiry).
    event SessionKeyAuthorized(address indexed payer, address indexed key, uint128 cap, uint64 expiry);
    /// @notice payer revoked key.
    event SessionKeyRevoked(address indexed payer, address indexed key);
    /// @notice payer asked to withdraw amount from availableAt on.
    event WithdrawalRequested(address indexed payer, uint256 amount, uint64 availableAt);
    /// @notice payer cancelled its pending withdrawal.
    event WithdrawalCancelled(address indexed payer);
    /// @notice payer withdrew amount (possibly less than requested: claims came first).
    event Withdrawn(address indexed payer, uint256 amount);

    /// @notice A constructor argument is unusable; the name says which.
    error InvalidParameter(string name);
    /// @notice An amount of zero where a positive amount is needed.
    error ZeroAmount();
    /// @notice claim() got a different number of vouchers and signatures.
    error LengthMismatch(uint256 vouchers, uint256 signatures);
    /// @notice requestWithdrawal asked for more than the balance.
    error InsufficientBalance(uint256 requested, uint256 balance);
    /// @notice withdraw() or cancelWithdrawal() with no request pending.
    error NoPendingWithdrawal();
    /// @notice withdraw() before the delay has passed.
    error WithdrawalNotReady(uint64 availableAt);
    /// @notice A session key that is the zero address or the payer itself.
    error InvalidSessionKey(address key);
    /// @notice A session key expiry that is not in the future.
    error ExpiryInPast(uint64 expiry);
    /// @notice revokeSessionKey for a key the payer never authorised.
    error UnknownSessionKey(address key);

    /// @param token_ settlement token (a plain ERC-20)
    /// @param feeBps_ protocol fee in basis points, at most MAX_FEE_BPS
    /// @param feeRecipient_ receives fees; may be zero only when feeBps_ is zero
    /// @param withdrawDelay_ seconds a payer waits between request and withdraw
    constructor(IERC20 token_, uint16 feeBps_, address feeRecipient_, uint64 withdrawDelay_)
        EIP712("BonfireEscrow", "1")
    {
        if (address(token_) == address(0)) revert InvalidParameter("token");
        if (feeBps_ > MAX_FEE_BPS) revert InvalidParameter("feeBps");
        if (feeBps_ > 0 && feeRecipient_ == address(0)) revert InvalidParameter("feeRecipient");
        token = token_;
        feeBps = feeBps_;
        feeRecipient = feeRecipient_;
        withdrawDelay = withdrawDelay_;
    }

    // ---------------------------------------------------------------- payers

    /// @notice Moves amount of the caller's tokens into its escrow balance.
    /// The caller must first approve this contract for at least amount.
    function deposit(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        _balances[msg.sender] += amount;
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit Deposited(msg.sender, amount);
    }

    /// @notice Lets key sign vouchers for the caller until expiry, for at most
    /// cap in total. Calling again for the same key replaces cap and expiry and
    /// un-revokes it, but keeps what it has spent: the cap is over the key's
    /// whole life, so raise it to allow more.
    function authorizeSessionKey(address key, uint128 cap, uint64 expiry) external {
        if (key == address(0) || key == msg.sender) revert InvalidSessionKey(key);
        if (expiry <= block.timestamp) revert ExpiryInPast(expiry);
        SessionKey storage k = _sessionKeys[msg.sender][key];
        k.cap = cap;
        k.expiry = expiry;
        k.revoked = false;
        emit SessionKeyAuthorized(msg.sender, key, cap, expiry);
    }

    /// @notice Stops key from authorising any further payment. Vouchers it
    /// signed that were not yet claimed become worthless; the payer should sign
    /// replacements with its own key for work it still owes.
    function revokeSessionKey(address key) external {
        SessionKey storage k = _sessionKeys[msg.sender][key];
        if (k.expiry == 0) revert UnknownSessionKey(key);
        k.revoked = true;
        emit SessionKeyRevoked(msg.sender, key);
    }

    /// @notice Starts the withdrawal delay for amount. A new request replaces
    /// the pending one and restarts the delay.
    function requestWithdrawal(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        uint256 bal = _balances[msg.sender];
        if (amount > bal) revert InsufficientBalance(amount, bal);
        uint64 availableAt = uint64(block.timestamp) + withdrawDelay;
        _withdrawals[msg.sender] = Withdrawal(amount, availableAt);
        emit WithdrawalRequested(msg.sender, amount, availableAt);
    }

    /// @notice Drops the caller's pending withdrawal.
    function cancelWithdrawal() external {
        if (_withdrawals[msg.sender].availableAt == 0) revert NoPendingWithdrawal();
        delete _withdrawals[msg.sender];
        emit WithdrawalCancelled(msg.sender);
    }

    /// @notice Pays out the pending withdrawal once its delay has passed. Claims
    /// made during the delay come first, so this pays the smaller of the amount
    /// requested and the balance left.
    /// @return paid what was transferred to the caller
    function withdraw() external nonReentrant returns (uint256 paid) {
        Withdrawal memory w = _withdrawals[msg.sender];
        if (w.availableAt == 0) revert NoPendingWithdrawal();
        if (block.timestamp < w.availableAt) revert WithdrawalNotReady(w.availableAt);
        delete _withdrawals[msg.sender];
        uint256 bal = _balances[msg.sender];
        paid = w.amount < bal ? w.amount : bal;
        _balances[msg.sender] = bal - paid;
        if (paid > 0) token.safeTransfer(msg.sender, paid);
        emit Withdrawn(msg.sender, paid);
    }

    // ---------------------------------------------------------------- payees

    /// @notice Redeems vouchers from many payers for the caller, who must be
    /// the payee of each. For every voucher it pays cumulativeAmount less what
    /// was already claimed from that payer, capped at the payer's balance, and
    /// records only what it paid, so a later voucher (or the same one after a
    /// top-up) collects the rest.
    ///
    /// A voucher that cannot be paid is skipped with a VoucherSkipped event
    /// rather than reverting the batch, so one payer revoking a key or
    /// emptying its balance cannot block a payee's claims on everyone else.
    /// Simulate the call (eth_call) to see the outcome before sending it.
    ///
    /// @dev The payee is msg.sender rather than a parameter: only the payee
    /// decides when its vouchers are redeemed, and a relayer cannot spend a
    /// payee's session-key cap in a way the payee did not choose.
    /// @param vouchers one per payer (a payer repeated is fine: the second pays only any increase)
    /// @param signatures 65-byte ECDSA signatures over each voucher's EIP-712 digest
    /// @return paid gross total paid (the caller received paid minus fees)
    function claim(Voucher[] calldata vouchers, bytes[] calldata signatures)
        external
        nonReentrant
        returns (uint256 paid)
    {
        if (vouchers.length != signatures.length) revert LengthMismatch(vouchers.length, signatures.length);
        uint256 fees;
        for (uint256 i = 0; i < vouchers.length; i++) {
            (uint256 amount, uint256 fee) = _claimOne(vouchers[i], signatures[i]);
            paid += amount;
            fees += fee;
        }
        if (paid - fees > 0) token.safeTransfer(msg.sender, paid - fees);
        if (fees > 0) token.safeTransfer(feeRecipient, fees);
    }

    /// @return amount gross paid for v, zero if skipped
    /// @return fee the protocol's share of amount
    function _claimOne(Voucher calldata v, bytes calldata signature) private returns (uint256 amount, uint256 fee) {
        if (v.payee != msg.sender) return _skip(v, SkipReason.WrongPayee);
        uint256 already = _claimed[v.payer][v.payee];
        if (v.cumulativeAmount <= already) return _skip(v, SkipReason.NothingDue);
        uint256 bal = _balances[v.payer];
        if (bal == 0) return _skip(v, SkipReason.NoBalance);
        amount = v.cumulativeAmount - already;
        if (amount > bal) amount = bal;

        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(voucherDigest(v), signature);
        if (err != ECDSA.RecoverError.NoError || signer == address(0)) return _skip(v, SkipReason.BadSignature);
        if (signer != v.payer) {
            SessionKey storage k = _sessionKeys[v.payer][signer];
            if (k.expiry == 0) return _skip(v, SkipReason.BadSignature);
            if (k.revoked) return _skip(v, SkipReason.KeyRevoked);
            if (block.timestamp >= k.expiry) return _skip(v, SkipReason.KeyExpired);
            if (uint256(k.spent) + amount > k.cap) return _skip(v, SkipReason.KeyOverCap);
            // Fits in uint128: the sum was just checked against a uint128 cap.
            k.spent += uint128(amount);
        }

        _balances[v.payer] = bal - amount;
        _claimed[v.payer][v.payee] = already + amount;
        fee = amount * feeBps / 10_000;
        emit Claimed(v.payer, v.payee, signer, amount, fee, already + amount);
    }

    function _skip(Voucher calldata v, SkipReason reason) private returns (uint256, uint256) {
        emit VoucherSkipped(v.payer, v.payee, reason);
        return (0, 0);
    }

    // ----------------------------------------------------------------- views

    /// @notice EIP-712 digest a voucher's signer signs. Off-chain code must
    /// produce the same bytes; exposed so it can check.
    function voucherDigest(Voucher calldata v) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(VOUCHER_TYPEHASH, v.payer, v.payee, v.cumulativeAmount)));
    }

    /// @notice The EIP-712 domain separator (chain id and this address included).
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @notice payer's deposited balance not yet claimed or withdrawn.
    function balanceOf(address payer) external view returns (uint256) {
        return _balances[payer];
    }

    /// @notice Total payee has claimed from payer so far (gross, fees included).
    function claimed(address payer, address payee) external view returns (uint256) {
        return _claimed[payer][payee];
    }

    /// @notice A session key of payer; all zero if never authorised.
    function sessionKey(address payer, address key) external view returns (SessionKey memory) {
        return _sessionKeys[payer][key];
    }

    /// @notice payer's pending withdrawal; availableAt is zero when none.
    function pendingWithdrawal(address payer) external view returns (Withdrawal memory) {
        return _withdrawals[payer];
    }
}
