using PartnerCenter.Core.Billing;

namespace PartnerCenter.Core.Tests;

public class BillCycleRuleTests
{
    static DateTime Utc(string text) => DateTime.SpecifyKind(DateTime.Parse(text), DateTimeKind.Utc);

    [Theory]
    [InlineData("2026-11-30T15:59:59", "2026-11")]
    [InlineData("2026-11-30T16:00:00", "2026-12")] // 00:00 on 1 December in Beijing
    [InlineData("2026-12-31T15:59:59", "2026-12")]
    [InlineData("2026-12-31T16:00:00", "2027-01")]
    public void A_cycle_is_a_calendar_month_in_Beijing_time(string utc, string cycle) =>
        Assert.Equal(cycle, BillCycle.Containing(Utc(utc)).ToString());

    [Fact]
    public void A_cycle_starts_where_the_previous_one_ends()
    {
        var december = new BillCycle(2026, 12);
        Assert.Equal(Utc("2026-11-30T16:00:00"), december.StartUtc);
        Assert.Equal(Utc("2026-12-31T16:00:00"), december.EndUtc);
        Assert.Equal(december.EndUtc, december.Next.StartUtc);
        Assert.Equal(new BillCycle(2027, 1), december.Next);
        Assert.Equal(new BillCycle(2026, 11), december.Previous);
        Assert.True(december.Previous < december && december < december.Next);
    }

    [Fact]
    public void A_fee_rated_at_the_first_hour_of_a_month_belongs_to_the_month_before() =>
        Assert.Equal("2026-11", BillCycle.OfRatingPeriod(Utc("2026-11-30T16:00:00")).ToString());

    [Theory]
    [InlineData("2026-12", true)]
    [InlineData("2026-1", false)]
    [InlineData("2026-13", false)]
    [InlineData("202612", false)]
    [InlineData(" 2026-12", false)]
    [InlineData(null, false)]
    public void Only_YYYY_MM_parses_as_a_bill_cycle(string? text, bool valid) => Assert.Equal(valid, BillCycle.TryParse(text, out _));
}
