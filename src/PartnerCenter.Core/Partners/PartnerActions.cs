namespace PartnerCenter.Core.Partners;

/// <summary>The IAM actions of partner operations (granted through bss:* policies such as the BSS Administrator role).</summary>
public static class PartnerActions
{
    public const string Apply = "bss:partner:apply";
    public const string ViewPrograms = "bss:partner:view";
    public const string DecideApplications = "bss:partner:approve";
    public const string CreateCustomer = "bss:customer:create";
    public const string ListCustomers = "bss:customer:list";
    public const string CheckIdentity = "bss:customer:checkIdentity";
    public const string UpdateBudget = "bss:budget:update";
    public const string ViewBudget = "bss:budget:view";
    public const string Freeze = "bss:customer:freeze";
    public const string Unfreeze = "bss:customer:unfreeze";
    public const string ListResellers = "bss:partner:listIndirectPartners";
    public const string ManageResellers = "bss:partner:manageIndirectPartners";
    public const string ViewExpenditureQuota = "bss:account:viewExpenditureQuota";
    public const string ManageAssociations = "bss:customer:manageAssociation";
    public const string ViewMyPartner = "bss:account:viewPartner";
}
