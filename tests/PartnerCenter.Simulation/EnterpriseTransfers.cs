using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Enterprise;
using PartnerCenter.Core.Ledger;

namespace PartnerCenter.Simulation;

/// <summary>An enterprise master and its member as the model sees them: what the master gave and did not take back yet.</summary>
public sealed class MEnterprise
{
    public required MCustomer Master { get; init; }
    public required MCustomer Member { get; init; }
    public decimal CashGiven { get; set; }
    /// <summary>Credit given without expiry (the simulation's credit ledger; expiring ledgers are the Core tests').</summary>
    public decimal CreditGiven { get; set; }
    public string? LastTransId { get; set; }
}

/// <summary>
/// Funds between an enterprise master and its member in the seeded simulation: cash or credit each way, sometimes more
/// than there is, sometimes a trans_id used before (CBC.99007009, nothing moves). The master and member are two of the
/// direct customers, so orders, top-ups, adjustments and credit lines interleave with their transfers.
/// </summary>
public sealed partial class SimulationDriver
{
    /// <summary>The master and member of the organization whose funds move (the organization is written by OrganizationAsync).</summary>
    void FundsBetween(MCustomer master, MCustomer member)
    {
        model.Enterprise = new MEnterprise { Master = master, Member = member };
        Trace($"enterprise funds between {master.Handle} and member {member.Handle}");
    }

    async Task EnterpriseFundsAsync()
    {
        if (model.Enterprise is not { } e) return;
        var (master, member) = (e.Master, e.Member);
        touchedCustomers.Add(master);
        touchedCustomers.Add(member);
        var credit = rng.Next(3) == 0;
        var retrieve = rng.Next(2) == 0;
        var (mine, theirs) = credit ? (LedgerBook.CreditOf(master.Id), LedgerBook.CreditOf(member.Id)) : (LedgerBook.CashOf(master.Id), LedgerBook.CashOf(member.Id));
        var given = credit ? e.CreditGiven : e.CashGiven;
        var held = model.Balance(retrieve ? theirs : mine);
        var amount = rng.Next(4) == 0 || held < 0.01m ? Amount(1, 80) : Math.Min(held, Amount(1, 80));
        var reuse = e.LastTransId is not null && rng.Next(8) == 0;
        var transId = reuse ? e.LastTransId! : "et" + NextHandle("");
        var expected = reuse ? EnterpriseTransferErrors.DuplicateTransId().Code
            : retrieve && (amount > given || amount > held) || !retrieve && amount > held ? Errors.InsufficientBalance().Code : null;
        var request = new EnterpriseFundsRequest(member.Id, amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), transId,
            credit ? "BALANCE_TYPE_CREDIT" : "BALANCE_TYPE_DEBIT", null);
        var (ok, _) = await CallAsync($"enterprise {(retrieve ? "retrieve" : "transfer")} {(credit ? "credit" : "cash")} {member.Handle} {amount:0.00}{(reuse ? " same trans_id" : "")}",
            expected, sp => retrieve ? sp.GetRequiredService<EnterpriseTransfers>().RetrieveAsync(master.Caller, request) : sp.GetRequiredService<EnterpriseTransfers>().TransferAsync(master.Caller, request));
        if (!ok) return;
        var (from, to) = retrieve ? (theirs, mine) : (mine, theirs);
        var deltas = Nothing();
        SimModel.Add(deltas, from, -amount);
        SimModel.Add(deltas, to, amount);
        var signed = retrieve ? -amount : amount;
        Expect(deltas, () =>
        {
            e.LastTransId = transId;
            if (!credit) { e.CashGiven += signed; return; }
            // The credit line moves with the credit: each side's debt stays its own.
            e.CreditGiven += signed;
            master.CreditLimit -= signed;
            member.CreditLimit += signed;
        });
    }
}
