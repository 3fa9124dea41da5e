using PartnerCenter.Core.Common;

namespace PartnerCenter.Core.Iam;

/// <summary>IAM's page/per_page paging: both or neither, pages counted from 1.</summary>
public static class Paging
{
    public static (int Skip, int Take) Of(int? page, int? perPage, int maxPerPage)
    {
        if (page is null && perPage is null) return (0, int.MaxValue);
        if (page is not { } p || perPage is not { } n) throw Check.Invalid("page and per_page go together.");
        if (p < 1) throw Check.Invalid("page must be at least 1.");
        if (n < 1 || n > maxPerPage) throw Check.Invalid($"per_page must be 1 to {maxPerPage}.");
        return ((int)Math.Min((long)(p - 1) * n, int.MaxValue), n);
    }
}
