using System.Text;
using Microsoft.AspNetCore.Http.Features;
using PartnerCenter.Core.Common;

namespace PartnerCenter.Server.ErrorHandling;

/// <summary>
/// Refuses a request whose path or query percent-decodes to bytes that are not UTF-8 (e.g. <c>/v3/users/%C0%AF</c>),
/// with the same 400 on every route, before the signature check or the router reads it: both would otherwise read it
/// each their own way.
/// </summary>
public sealed class RequestTargetCheck(RequestDelegate next)
{
    static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public Task InvokeAsync(HttpContext http)
    {
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        if (!DecodesToUtf8(target))
            throw new ServiceException(Error.Validation("CBC.0100", "The request path or query is not valid UTF-8 once percent-decoded."));
        return next(http);
    }

    static bool DecodesToUtf8(string target)
    {
        if (!target.Contains('%')) return true;
        var bytes = new List<byte>(target.Length);
        for (var i = 0; i < target.Length; i++)
        {
            if (target[i] == '%' && i + 2 < target.Length && Uri.IsHexDigit(target[i + 1]) && Uri.IsHexDigit(target[i + 2]))
            {
                bytes.Add(Convert.ToByte(target.Substring(i + 1, 2), 16));
                i += 2;
            }
            else bytes.AddRange(Encoding.UTF8.GetBytes(target[i].ToString()));
        }
        try
        {
            Strict.GetString(bytes.ToArray());
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
