namespace PartnerCenter.Core.Common;

/// <summary>Every error this server answers with, catalogued once. Codes follow Huawei Cloud's IAM and CBC codes.</summary>
public static class Errors
{
    // Generic request errors (CBC style, used by every family).
    public static Error InvalidParameter(string message) => Error.Validation("CBC.0100", message);
    public static Error Unauthenticated(string message) => Error.Unauthorized("CBC.0151", message);
    public static Error NoPermission(string action) => Error.Forbidden("CBC.0150", $"The caller is not permitted to perform {action}.");
    public static Error TooManyRequests() => new(ErrorKind.TooManyRequests, "CBC.0250", "Too many requests; slow down and retry later.");

    // API gateway errors for AK/SK signatures, as the gateway answers them.
    public static Error SignatureMismatch() => Error.Unauthorized("APIGW.0301", "Incorrect IAM authentication information: verify aksk signature fail");
    public static Error UnknownAccessKey() => Error.Unauthorized("APIGW.0301", "Incorrect IAM authentication information: ak not exist");
    public static Error AccessKeyDisabled() => Error.Unauthorized("APIGW.0301", "Incorrect IAM authentication information: ak is disabled");
    public static Error RequestExpired() => Error.Unauthorized("APIGW.0301", "Incorrect IAM authentication information: x-sdk-date is more than 15 minutes off the server time");
    public static Error UnsupportedAlgorithm() => Error.Unauthorized("APIGW.0301", "Incorrect IAM authentication information: unsupported signing algorithm");
    public static Error SecurityTokenOfAnotherKey() => Error.Unauthorized("APIGW.0301", "Incorrect IAM authentication information: X-Security-Token belongs to a temporary access key, not to this one");
    public static Error TooManyAuthenticationFailures() => new(ErrorKind.TooManyRequests, "APIGW.0308", "The throttling threshold has been reached: too many failed authentications; retry later.");
    public static Error SecurityTokenMismatch() => Error.Unauthorized("APIGW.0301", "Incorrect IAM authentication information: a temporary access key needs its X-Security-Token");
    public static Error InvalidToken() => Error.Unauthorized("APIGW.0307", "The token is invalid or expired.");

    // IAM.
    public static Error UserNotFound() => Error.NotFound("IAM.0004", "The user does not exist.");
    public static Error GroupNotFound() => Error.NotFound("IAM.0005", "The group does not exist.");
    public static Error RoleNotFound() => Error.NotFound("IAM.0006", "The role or policy does not exist.");
    public static Error AccessKeyNotFound() => Error.NotFound("IAM.0007", "The access key does not exist.");
    public static Error AgencyNotFound() => Error.NotFound("IAM.0008", "The agency does not exist.");
    public static Error ProjectNotFound() => Error.NotFound("IAM.0009", "The project does not exist.");
    public static Error DomainNotFound() => Error.NotFound("IAM.0010", "The account does not exist.");
    public static Error NameTaken(string what) => Error.Conflict("IAM.0011", $"The {what} name is already in use.");
    public static Error AccessKeyLimit() => Error.Validation("IAM.0012", "A user can have at most 2 access keys.");
    public static Error WrongCredentials() => Error.Unauthorized("IAM.0101", "The user name or password is incorrect.");
    public static Error UserLocked(DateTimeOffset until) => Error.Unauthorized("IAM.0102", $"The user is locked after repeated failed sign-ins until {until:yyyy-MM-ddTHH:mm:ssZ}.");
    public static Error UserDisabled() => Error.Unauthorized("IAM.0103", "The user is disabled.");
    public static Error AccountClosed() => Error.Unauthorized("IAM.0104", "The account is closed.");
    public static Error WeakPassword(string message) => Error.Validation("IAM.0105", message);
    public static Error CannotChangeOwner(string message) => Error.Validation("IAM.0106", message);
    public static Error OwnPasswordOnly() => Error.Forbidden("IAM.0108", "Users can only change their own password this way; an administrator uses UpdateUser.");
    public static Error WrongOriginalPassword() => Error.Validation("IAM.0109", "The original password is incorrect.");
    public static Error PolicyInUse() => Error.Conflict("IAM.0110", "The policy is still granted to a group or agency; revoke it first.");
    public static Error AgencyNotTrusted() => Error.Forbidden("IAM.0107", "The caller's account is not trusted by this agency, or the agency has expired.");

    // Accounts.
    public static Error AccountNameTaken() => Error.Conflict("CBC.30000052", "The account name is already in use.");
    public static Error EmailTaken() => Error.Conflict("CBC.30000053", "The email address is already in use.");
    public static Error MobileTaken() => Error.Conflict("CBC.30000054", "The mobile number is already in use.");
    public static Error OwnerOnly() => Error.Forbidden("CBC.0150", "Only the account itself (its owner sign-in) can change account details or close it.");
    public static Error CannotClose(string reason) => Error.Conflict("CBC.30000060", $"The account cannot be closed: {reason}");

    // Partners and their customers (CBC codes as Huawei documents them; the budget-exceeded code is this server's own).
    public static Error NotAPartner() => Error.Forbidden("CBC.5001", "The caller's account is not a partner in a program that allows this operation.");
    public static Error NotYourCustomer() => Error.Forbidden("CBC.99000035", "The customer is not a sub-customer of this partner.");
    public static Error NotYourReseller() => Error.Validation("CBC.99000037", "The indirect_partner_id is not a reseller of this distributor.");
    public static Error WrongAssociationType() => Error.Validation("CBC.5023", "The operation needs a customer associated in the reseller (resale) model.");
    public static Error LoginNameTaken() => Error.Validation("CBC.99000038", "The login name already exists.");
    public static Error BadLoginName(string why) => Error.Validation("CBC.99000031", "The login name is invalid: " + why);
    public static Error BadSubCustomerPassword(string why) => Error.Validation("CBC.99000036", "The password is invalid: " + why);
    public static Error DuplicateXAccount() => Error.Validation("CBC.99000039", "The xaccount_id is already bound to another customer.");
    public static Error DistributorCannotAssociate() => Error.Validation("CBC.50010059", "A distributor cannot associate customers directly; create them for a reseller with indirect_partner_id.");
    public static Error ResellerPermissionMissing() => Error.Forbidden("CBC.18000016", "The distributor has not granted this reseller the permission, or the amount exceeds the reseller's budget quota; contact the distributor.");
    public static Error DelegatedToReseller() => Error.Forbidden("CBC.0150", "The reseller manages its customers' budgets and freezing; revoke the delegation first.");
    public static Error AlreadyPartner() => Error.Conflict("CBC.5010", "The account is already a partner or has an application pending.");
    public static Error EnterpriseMasterCannotBePartner() => Error.Validation("CBC.5011", "An enterprise master account cannot join a partner program (cloud solution provider, distribution or reseller).");
    public static Error ApplicationNotFound() => Error.NotFound("CBC.5012", "The partner application does not exist.");
    public static Error ApplicationDecided() => Error.Conflict("CBC.5013", "The partner application has already been decided.");
    public static Error AlreadyAssociated() => Error.Conflict("CBC.5014", "The account is already associated with a partner.");
    public static Error CannotAssociatePartner() => Error.Validation("CBC.5015", "A partner or the operator cannot become a customer.");
    public static Error InvitationNotFound() => Error.NotFound("CBC.5016", "The invitation does not exist.");
    public static Error InvitationClosed() => Error.Conflict("CBC.5017", "The invitation has expired or has already been answered.");
    public static Error AssociationChangeRefused(string reason) => Error.Conflict("CBC.5018", "The association cannot be changed: " + reason);
    public static Error AuthorizationNotFound() => Error.NotFound("CBC.5019", "The authorization request does not exist.");
    public static Error AuthorizationClosed() => Error.Conflict("CBC.5020", "The authorization request has already been answered.");
    public static Error NotAPartnerMember() => Error.Validation("CBC.5021", "The account manager must be an IAM user of the partner's account.");
    public static Error CustomerFrozen() => Error.Validation("CBC.99003656", "The customer's account is frozen; the operation is not allowed.");
    public static Error BudgetExceeded() => Error.Validation("CBC.99005041", "The purchase exceeds the customer's remaining budget.");
    public static Error UnfreezeTypeMismatch() => Error.Validation("CBC.0100", "unfreeze_type must match the type the customer was frozen with.");

    // Ledger, balances and payments.
    public static Error InsufficientBalance() => Error.Validation("CBC.99005003", "The account balance (cash and credit) is insufficient.");
    public static Error NoAllocationAccount() => Error.Validation("CBC.99000047", "The customer has no allocation account to reclaim from: nothing was ever allocated to it.");
    public static Error NotAResaleCustomer() => Error.Validation("CBC.99000000", "Money is allocated to and reclaimed from resale customers only; a referral customer pays for itself.");
    public static Error FundsChangedTryAgain() => Error.Conflict("CBC.99000087", "The balances changed while this request ran; try again.");
    public static Error ResaleCustomerHasNoBalance() => Error.Validation("CBC.99000049", "A resale customer has no account balance; its partner pays for it.");
    public static Error PaymentDeclined(string code, string message) => Error.Validation("CBC.99005030", $"The payment was declined ({code}): {message}");
    public static Error ConsumptionQuotaBelowDebt(decimal owed) => Error.Validation("CBC.99005045",
        $"consumption_quota cannot be below what the partner owes now ({owed:0.00}); set at least that, which blocks new purchases of its resale customers just the same.");
    public static Error ConsumptionQuotaExceeded() => Error.Validation("CBC.99005043", "The partner's consumption quota is used up; its resale customers cannot purchase until the partner pays its bills or gets a higher quota.");
    public static Error ClientTokenReused() => Error.Conflict("CBC.99005044", "The client_token was already used for a different request.");

    // Partner bills and repayment (this server's own codes next to the ledger's; Huawei documents none for these refusals).
    public static Error PartnerOverdue() => Error.Validation("CBC.99005046",
        "The customer's partner has an overdue bill; its resale customers cannot buy, renew or pay orders until the partner repays it.");
    public static Error RepaymentOverAmountDue(decimal due) => Error.Validation("CBC.99005047", $"amount cannot be more than the amount due ({due:0.00} USD).");
    public static Error RepaymentOverLimit(decimal limit) => Error.Validation("CBC.99005048", $"amount cannot be more than {limit:0.00} USD in one online payment.");
    public static Error BillCycleNotBilled(string cycle) => Error.Validation("CBC.99005049", $"bill_cycle {cycle} has no bill yet: only months closed by the bill run (on the 5th of the next month) can be queried.");
    public static Error BillCycleNotClosed(string cycle) => Error.Validation("CBC.99005050", $"bill_cycle {cycle} has not ended yet; a bill run needs a closed month.");
    public static Error BillCycleFinalized(string cycle) => Error.Conflict("CBC.99005051", $"The bills of {cycle} are finalized and never change; corrections go into a later bill as adjustments.");
    public static Error RatingUnfinished(string cycle) => Error.Conflict("CBC.99005052", $"An hourly pay-per-use rating period of {cycle} is not finished yet; the bill run waits for it.");
    public static Error BillNotFound() => Error.NotFound("CBC.99005053", "The bill does not exist or is not this partner's.");
    public static Error NotYourDomain() => Error.Forbidden("CBC.0150", "domain_id is not the caller's account: an account reads only its own invoices.");
    public static Error DiscountNotAllowed(string what) => Error.Validation("CBC.99005070", $"Your partner program's incentive policy does not allow discounts on {what}.");
    public static Error NotABankTransfer() => Error.Validation("CBC.99005054", "Only an open bank-transfer ticket sent to the platform can be confirmed as a repayment.");

    // Catalog, discounts and rating (CBC codes as Huawei documents them for price inquiry).
    public static Error ProductNotFound(string what) => Error.Validation("CBC.99006006", "The product does not exist: " + what);
    public static Error WrongUsageUnit(string what) => Error.Validation("CBC.99006050", "The usage unit is wrong: " + what);
    public static Error DuplicateProductId(string id) => Error.Validation("CBC.30050012", $"The id {id} appears more than once in product_infos.");
    public static Error ProjectOfCallerNotFound() => Error.Validation("CBC.99006073", "The project_id is not a project of the calling account.");
    public static Error OperatorOnly(string what) => Error.Forbidden("CBC.0150", $"Only the platform operator may {what}.");
    public static Error SpecNotFound() => Error.NotFound("CBC.99006006", "The resource spec does not exist.");
    public static Error DiscountNotFound() => Error.NotFound("CBC.5030", "The discount does not exist or is not yours to change.");

    // Orders.
    public static Error InvalidOrder() => Error.Validation("CBC.30000010", "The order does not exist or is not the caller's.");
    public static Error OrderStatusChanged() => Error.Validation("CBC.99003106", "The order's status has changed; it cannot be paid now.");
    public static Error DiscountNotApplicable() => Error.Validation("CBC.99003108", "The discount is not applicable to this order.");
    public static Error PaymentDeadlinePassed() => Error.Validation("CBC.99003110", "The order's payment deadline has passed.");
    public static Error CouponUnavailable() => Error.Validation("CBC.99003112", "The coupon or card is not available to this order.");
    public static Error OrderNotCancellable() => Error.Validation("CBC.99005010", "Only an order pending payment can be cancelled.");

    // Yearly/monthly resources.
    public static Error ResourceNotFound() => Error.Validation("CBC.99003012", "A resource in resource_ids does not exist, is released, or is not the customer's.");
    public static Error NotAMainResource(string id) => Error.Validation("CBC.30010036", $"The resource {id} is attached to a main resource; renew or unsubscribe the main one.");
    public static Error UnsupportedRenewalPeriod() => Error.Validation("CBC.30010069", "The renewal period is not supported: 1 to 11 months or 1 to 3 years.");
    public static Error AutoPayFailed(string orderId, Error why) => Error.Validation("CBC.30050006", $"The renewal order {orderId} was created but paying it failed ({why.Code}: {why.Message}); pay it with PayOrders.");
    public static Error ResourceInUnpaidOrder() => Error.Validation("CBC.99003100", "The resource is in an order pending payment; pay or cancel that order first.");
    public static Error ResourceExpiredNoAutoRenew() => Error.Validation("CBC.99003602", "The resource is frozen or released; auto-renewal cannot be enabled.");
    public static Error AutoRenewAlreadyCancelled() => Error.Validation("CBC.99003605", "Auto-renewal is not enabled for this resource.");
    public static Error ResourceFrozen() => Error.Validation("CBC.99003656", "The resource is frozen; the operation is not allowed.");
    public static Error NoUnusedRenewal() => Error.Validation("CBC.99003128", "The resources have no unused renewal period to unsubscribe.");
    public static Error RenewRateNotMain() => Error.Validation("CBC.30050007", "Only main resources can be rated for renewal.");
    public static Error RenewPeriodNotAvailable() => Error.Validation("CBC.30050008", "The renewal period is not available: 1 to 11 months or 1 to 3 years.");
    public static Error TransactionInProgress() => Error.Validation("CBC.99003651", "Another transaction on these resources is in progress; try again.");
    public static Error NotARefundOrder() => Error.Validation("CBC.99005026", "The order is not a refund order (an unsubscribe, or a switch to pay-per-use).");

    // Coupons and coupon quotas (Huawei's CBC codes of CreatePartnerCoupons, the quota operations and PayOrders).
    public static Error CouponQuotaUnusable() => Error.Validation("CBC.99000012", "The coupon quota does not exist, is not yours, or is not in a status that allows this.");
    public static Error CouponQuotaInsufficient() => Error.Validation("CBC.99000013", "The coupon quota's balance is insufficient.");
    public static Error CouponNotForCooperationType() => Error.Validation("CBC.99000014", "Coupons are issued to resale customers only; this customer is associated in another model.");
    public static Error CouponQuotaNotEffective() => Error.Validation("CBC.99000017", "The coupon quota is not effective yet or has expired.");
    public static Error FaceValueBelowMinimum(decimal min) => Error.Validation("CBC.99000018", $"face_value is below the quota's minimum of {min:0.00}.");
    public static Error FaceValueAboveMaximum(decimal max) => Error.Validation("CBC.99000019", $"face_value is above the quota's maximum of {max:0.00}.");
    public static Error TooManyCoupons(int max) => Error.Validation("CBC.99000020", $"The customer already holds {max} usable coupons of this partner.");
    public static Error CouponTotalExceeded(decimal max) => Error.Validation("CBC.99000021", $"The customer's usable coupons of this partner would exceed {max:0.00} in face value.");
    public static Error CouponLimitsOutsideQuota() => Error.Validation("CBC.99000023", "cloud_service_types and product_ids must be within the quota's limits.");
    public static Error CannotIssueToSelf() => Error.Validation("CBC.99000025", "A partner cannot issue coupons to its own account.");
    public static Error CouponNotFound() => Error.Validation("CBC.99000026", "The coupon does not exist or was not issued by this partner.");
    public static Error ServiceTypeNotFound(string code) => Error.Validation("CBC.50000055", $"The cloud service type {code} does not exist.");
    public static Error CouponProductNotFound(string id) => Error.Validation("CBC.50000054", $"The product {id} does not exist.");
    public static Error CouponNotUsable(string id, string why) => Error.Validation("CBC.99003112", $"The coupon {id} cannot be used: {why}");
    public static Error CouponCombination(string why) => Error.Validation("CBC.99003147", why);

    // Enterprise Center: enabling it, the organization and its members (CBC.0155, CBC.7001 and the SMS codes as Huawei documents
    // them; the CBC.990071xx refusals are this server's own, Huawei documents none for them).
    public static Error NotAnEnterpriseMaster() => Error.Forbidden("CBC.0155", "The caller's account is not an enterprise master account: only a master (its owner, or an IAM user it permits) manages an organization.");
    public static Error EnterpriseIndividualAccount() => Error.Validation("CBC.99007110", "An individual account cannot enable Enterprise Center: only an enterprise account can.");
    public static Error EnterprisePartnerAccount() => Error.Validation("CBC.99007111", "A partner account (or one with a partner program application pending) cannot enable Enterprise Center.");
    public static Error EnterpriseMemberElsewhere() => Error.Conflict("CBC.99007112", "The account is a member of an enterprise organization; it must leave it before enabling Enterprise Center.");
    public static Error EnterpriseAlreadyMaster() => Error.Conflict("CBC.99007113", "The account has already enabled Enterprise Center.");
    public static Error EnterpriseUnitNotFound(string field) => Error.NotFound("CBC.99007120", $"{field} is not a unit of the caller's organization.");
    public static Error EnterpriseUnitNotEmpty() => Error.Conflict("CBC.99007121", "The unit still has units, members or pending invitations under it; move or remove them first.");
    public static Error EnterpriseUnitCycle() => Error.Validation("CBC.99007122", "parent_id cannot be the unit itself or one of its descendants.");
    public static Error EnterpriseRootUnit(string what) => Error.Validation("CBC.99007123", $"The root unit cannot be {what}.");
    public static Error EnterpriseUnitNameTaken() => Error.Conflict("CBC.99007124", "A unit with that name already exists under the same parent.");
    public static Error EnterpriseMemberNotFound() => Error.NotFound("CBC.7001", "The account is not a member of the caller's organization.");
    public static Error EnterpriseCannotJoin(string reason) => Error.Validation("CBC.99007130", "The account cannot join the organization: " + reason);
    public static Error EnterpriseInvitationNotFound() => Error.NotFound("CBC.99007131", "The invitation does not exist.");
    public static Error EnterpriseInvitationClosed() => Error.Conflict("CBC.99007132", "The invitation has expired or has already been answered.");
    public static Error EnterpriseMemberKept(string reason) => Error.Conflict("CBC.99007133", "The member cannot be removed yet: " + reason);
    public static Error SmsSendLimit() => Error.Validation("CBC.99000082", "Too many verification codes were sent to this mobile number; wait an hour and try again.");
    public static Error VerificationCodeExpired() => Error.Validation("CBC.99004008", "The verification code has expired or was never sent to this number; send a new one.");
    public static Error VerificationCodeLocked() => Error.Validation("CBC.99004009", "The verification code was entered wrongly more than 3 times; send a new one.");
    public static Error VerificationCodeWrong() => Error.Validation("CBC.99004010", "The verification code is wrong.");

    // The partner network and business information (this server's own codes: no public API covers them).
    public static Error NetworkJoinedOrPending() => Error.Conflict("CBC.99008001", "The account has already joined the partner network or has an application pending.");
    public static Error NetworkApplicationNotFound() => Error.NotFound("CBC.99008002", "The partner network application does not exist.");
    public static Error NetworkApplicationDecided() => Error.Conflict("CBC.99008003", "The partner network application has already been decided.");
    public static Error AgreementNotAccepted(string field, string title, string version) => Error.Validation("CBC.99008004", $"{field}: accept \"{title}\" version {version} to go on.");
    public static Error NotInNetwork() => Error.Forbidden("CBC.99008005", "The account has not joined the partner network: apply to join it first (Join the partner network).");
    public static Error BusinessInfoUnderReview() => Error.Conflict("CBC.99008010", "Your business information is under review; wait for the decision before submitting a change.");
    public static Error BankAccountNameMismatch(string accountName, string companyName) => Error.Validation("CBC.99008011",
        $"bank.account_name \"{accountName}\" must equal the company name \"{companyName}\": the platform pays only into an account held by the company.");
    public static Error BusinessInfoBlocked() => Error.Forbidden("CBC.99008012",
        "Your business information was rejected three times in a row: open a service ticket of type business_information before submitting again.");
    public static Error BusinessInfoNotFound() => Error.NotFound("CBC.99008013", "The business information submission does not exist.");
    public static Error BusinessInfoDecided() => Error.Conflict("CBC.99008014", "The business information submission has already been decided.");

    // Sandbox clock and jobs.
    public static Error SandboxDisabled() => Error.Forbidden("CBC.0160", "The sandbox clock is disabled on this server.");
    public static Error ClockBackwards() => Error.Validation("CBC.0100", "The sandbox clock only moves forward.");

    // Service tickets (our own codes: Huawei's ticket service has its own API, not BSS's).
    public static Error TicketNotFound() => Error.NotFound("OSM.0001", "The ticket does not exist or is not yours to see.");
    public static Error TicketStatusForbids(string verb, string status) => Error.Conflict("OSM.0002", $"Cannot {verb} a ticket that is {status}.");
    public static Error TicketUrgedRecently(DateTime next) => Error.Conflict("OSM.0003", $"The ticket was urged less than an hour ago; urge it again after {next:yyyy-MM-ddTHH:mm:ssZ}.");
    public static Error TicketAlreadyRated() => Error.Conflict("OSM.0004", "The ticket has already been rated.");
    public static Error TicketAttachmentLimit() => Error.Validation("OSM.0005", $"A ticket takes at most {Tickets.TicketAttachments.MaxPerTicket} attachments.");
    public static Error TicketHandlerUnavailable() => Error.Validation("OSM.0006", "handler partner needs an account associated with a partner; send it to the platform instead.");
    public static Error BankTransferTicketForPartners() => Error.Validation("OSM.0007", "A bank-transfer ticket is a partner's repayment, sent to the platform.");
    public static Error TicketChanged() => Error.Conflict("OSM.0008", "The ticket was changed by someone else meanwhile; reload it and try again.");
    public static Error TicketSideOnly(string verb, string who) => Error.Forbidden("OSM.0009", $"Only {who} can {verb} it.");
    public static Error TicketAttachmentNotFound() => Error.NotFound("OSM.0010", "The attachment does not exist on this ticket.");
}
