using System.Text;
using PartnerCenter.Core.Common;

namespace PartnerCenter.Core.Tickets;

/// <summary>
/// Where ticket attachments live: files under <c>{data dir}/attachments</c>, named by ids this server made, so an uploaded
/// name can never point anywhere else. A file is checked (size, extension and the bytes it starts with) before it is kept.
/// </summary>
public sealed class TicketAttachments(string root)
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const int MaxPerTicket = 10;
    public const int MaxFileName = 100;

    /// <summary>The kinds of file a ticket takes: receipts and screenshots, documents, plain text.</summary>
    static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = "application/pdf", [".png"] = "image/png", [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg",
        [".txt"] = "text/plain", [".csv"] = "text/csv",
    };

    public static ServiceException TooLarge() => Check.Invalid($"The file is larger than {MaxBytes / (1024 * 1024)} MB.");

    public static string AllowedKinds => string.Join(", ", ContentTypes.Keys);

    /// <summary>The uploaded name, refused unless it is a plain file name with an allowed extension; returns its content type.</summary>
    public static string ContentTypeOf(string? fileName)
    {
        var name = Check.Required(fileName, "file_name");
        if (name.Length > MaxFileName) throw Check.Invalid($"file_name is at most {MaxFileName} characters.");
        if (name.Contains('/') || name.Contains('\\') || name.Contains("..") || name.Any(char.IsControl) || name.Trim() != name)
            throw Check.Invalid("file_name must be a plain file name: no folders, no \"..\", no control characters.");
        return ContentTypes.GetValueOrDefault(Path.GetExtension(name))
               ?? throw Check.Invalid($"file_name must end in one of {AllowedKinds}.");
    }

    /// <summary>
    /// Copies the upload to a new file and checks it; returns the stored name and size. On refusal nothing stays on disk.
    /// </summary>
    public async Task<(string StoredName, long Size)> SaveAsync(string ticketId, string attachmentId, string contentType, Stream content, CancellationToken ct)
    {
        var folder = Path.Combine(root, "tickets", SafeId(ticketId));
        Directory.CreateDirectory(folder);
        var storedName = SafeId(attachmentId);
        var path = Path.Combine(folder, storedName);
        var partial = path + ".part";
        try
        {
            long size;
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                size = 0;
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    size += read;
                    if (size > MaxBytes) throw TooLarge();
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
            if (size == 0) throw Check.Invalid("The file is empty.");
            if (!await LooksLikeAsync(partial, contentType, ct)) throw Check.Invalid($"The file's content is not a {contentType} file.");
            File.Move(partial, path);
            return ($"{SafeId(ticketId)}/{storedName}", size);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
    }

    public Stream Open(string storedName) => File.OpenRead(PathOf(storedName));

    /// <summary>Removes a stored file whose database row could not be written.</summary>
    public void Delete(string storedName)
    {
        var path = PathOf(storedName);
        if (File.Exists(path)) File.Delete(path);
    }

    string PathOf(string storedName)
    {
        var parts = storedName.Split('/');
        if (parts.Length != 2) throw new InvalidOperationException("A stored attachment name is a ticket id and a file id.");
        return Path.Combine(root, "tickets", SafeId(parts[0]), SafeId(parts[1]));
    }

    /// <summary>Ids this server made are lowercase hex; anything else never becomes part of a path.</summary>
    static string SafeId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f') ? id : throw new InvalidOperationException("Not a server-made id.");

    /// <summary>The first bytes say what a file is; a renamed executable is not a PDF.</summary>
    static async Task<bool> LooksLikeAsync(string path, string contentType, CancellationToken ct)
    {
        if (contentType.StartsWith("text/", StringComparison.Ordinal))
        {
            var bytes = await File.ReadAllBytesAsync(path, ct);
            try
            {
                var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
                return !text.Contains('\0');
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
        }
        var head = new byte[8];
        await using var file = File.OpenRead(path);
        var n = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        ReadOnlySpan<byte> start = head.AsSpan(0, n);
        return contentType switch
        {
            "application/pdf" => start.StartsWith("%PDF-"u8),
            "image/png" => start.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
            "image/jpeg" => start.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]),
            _ => false,
        };
    }
}
