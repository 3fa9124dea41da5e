using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Mail;

namespace PartnerCenter.Core.Enterprise;

/// <summary>A verification code a master sent to a mobile number before creating a member with it. Only its hash is kept.</summary>
public sealed class EnterpriseSmsCode
{
    public long Id { get; init; }
    public required string MasterAccountId { get; init; }
    /// <summary>The number as stored on accounts: +country code-number.</summary>
    public required string Mobile { get; init; }
    public required string CodeHash { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime ExpiresAt { get; init; }
    public int FailedAttempts { get; set; }
    public DateTime? UsedAt { get; set; }
}

sealed class EnterpriseSmsCodeConfiguration : IEntityTypeConfiguration<EnterpriseSmsCode>
{
    public void Configure(EntityTypeBuilder<EnterpriseSmsCode> e)
    {
        e.ToTable("enterprise_sms_codes");
        e.HasKey(x => x.Id);
        e.Property(x => x.MasterAccountId).HasMaxLength(32);
        e.Property(x => x.Mobile).HasMaxLength(32);
        e.Property(x => x.CodeHash).HasMaxLength(64);
        e.HasIndex(x => new { x.MasterAccountId, x.Mobile, x.CreatedAt });
    }
}

public sealed record SmsTemplateArg(string? Key, string? Value);

/// <summary>
/// SendSmsVerificationCode and the check of the code at CreateSubEnterpriseAccount. The message leaves through the
/// outbox like every e-mail, addressed <c>sms:+country-number</c> (the pickup folder shows it; an SMS gateway is one
/// more transport). Huawei's rules: timeout 1–100 minutes, 10 by default, over 60 taken as 5.
/// </summary>
public sealed class EnterpriseSmsCodes(AppDbContext db, EnterpriseCenter center, TimeProvider clock)
{
    /// <summary>At most this many codes to one number per master and hour (CBC.99000082 past it).</summary>
    public const int SendsPerHour = 5;
    /// <summary>A code is refused for good after this many wrong entries (CBC.99004009).</summary>
    public const int MaxFailedAttempts = 3;

    public async Task SendAsync(Caller caller, string? mobilePhone, int? timeout, string? language, IReadOnlyList<SmsTemplateArg?>? templateArgs, CancellationToken ct = default)
    {
        var master = await center.MasterAsync(caller, EnterpriseActions.ManageMembers, ct);
        var mobile = Mobile(Check.Required(mobilePhone, "mobile_phone"), "mobile_phone");
        if (timeout is < 1 or > 100) throw Check.Invalid("timeout must be 1 to 100 minutes.");
        var minutes = timeout is null ? 10 : timeout > 60 ? 5 : timeout.Value;
        if (language is not (null or "zh-cn" or "en-us")) throw Check.Invalid("language must be zh-cn or en-us.");
        if (templateArgs?.Count > 6) throw Check.Invalid("sm_template_args holds at most 6 entries.");
        string? memberName = null;
        foreach (var arg in templateArgs ?? [])
        {
            if (arg is null || arg.Key != "sub_customer_name") throw Check.Invalid("sm_template_args[].key must be sub_customer_name.");
            memberName ??= Check.MaxLength(arg.Value, "sm_template_args[].value", 255);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (await db.EnterpriseSmsCodes.CountAsync(c => c.MasterAccountId == master.AccountId && c.Mobile == mobile && c.CreatedAt > now.AddHours(-1), ct) >= SendsPerHour)
            throw new ServiceException(Errors.SmsSendLimit());
        var code = RandomNumberGenerator.GetString("0123456789", 6);
        var text = language == "zh-cn"
            ? $"验证码 {code}：{caller.AccountName} 正在创建企业成员账号{(memberName is null ? "" : " " + memberName)}。{minutes} 分钟内有效。"
            : $"Verification code {code}: {caller.AccountName} is creating the enterprise member account{(memberName is null ? "" : " " + memberName)} with this number. Valid for {minutes} minutes.";
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.EnterpriseSmsCodes.Add(new EnterpriseSmsCode
        {
            MasterAccountId = master.AccountId, Mobile = mobile, CodeHash = Hash(mobile, code), CreatedAt = now, ExpiresAt = now.AddMinutes(minutes),
        });
        db.OutboxMessages.Add(new OutboxMessage { To = "sms:" + mobile, Subject = "Verification code", Body = text, CreatedAt = now });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Checks the latest code sent to the number. A wrong code counts against it at once (outside any transaction, so
    /// the count stays when the request fails); a right one is taken later by <see cref="ConsumeAsync"/> in the creating transaction.
    /// </summary>
    internal async Task<long> VerifyAsync(string masterId, string mobile, string? code, CancellationToken ct)
    {
        var given = Check.Required(code, "new_sub_customer.verification_code");
        var now = clock.GetUtcNow().UtcDateTime;
        var latest = await db.EnterpriseSmsCodes.AsNoTracking().Where(c => c.MasterAccountId == masterId && c.Mobile == mobile)
            .OrderByDescending(c => c.Id).FirstOrDefaultAsync(ct);
        if (latest is null || latest.UsedAt is not null || latest.ExpiresAt <= now) throw new ServiceException(Errors.VerificationCodeExpired());
        if (latest.FailedAttempts >= MaxFailedAttempts) throw new ServiceException(Errors.VerificationCodeLocked());
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(latest.CodeHash), Encoding.ASCII.GetBytes(Hash(mobile, given))))
        {
            await db.EnterpriseSmsCodes.Where(c => c.Id == latest.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.FailedAttempts, c => c.FailedAttempts + 1), ct);
            throw new ServiceException(Errors.VerificationCodeWrong());
        }
        return latest.Id;
    }

    /// <summary>Takes the verified code once: a second request with the same code finds it used.</summary>
    internal async Task ConsumeAsync(long codeId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (await db.EnterpriseSmsCodes.Where(c => c.Id == codeId && c.UsedAt == null).ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), ct) == 0)
            throw new ServiceException(Errors.VerificationCodeExpired());
    }

    /// <summary>
    /// A mobile number as accounts keep it (+country code-number). Huawei's China API takes a bare Chinese number (11
    /// digits starting with 1); 0065-81234567 and +65-81234567 name any country.
    /// </summary>
    internal static string Mobile(string value, string field)
    {
        if (value.Length > 20) throw Check.Invalid($"{field} is at most 20 characters.");
        if (value.Length == 11 && value[0] == '1' && value.All(char.IsAsciiDigit)) return "+86-" + value;
        if (value.StartsWith("00") && value.Length > 2 && value[2..].All(c => char.IsAsciiDigit(c) || c == '-')) value = "+" + value[2..].TrimStart('0');
        return Check.Mobile(value, field)!;
    }

    static string Hash(string mobile, string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(mobile + ":" + code)));
}
