using System.Text.Json;
using Kefu.Core.Protocol;

namespace Kefu.Server.Uploads;

/// <summary>
/// Writes a stored attachment into a <c>message</c> frame with fresh signed links: <c>url</c> always, and
/// <c>thumbnailUrl</c> for an image the server made a thumbnail of. Runs once per frame, not per recipient.
/// </summary>
internal sealed class AttachmentWriter(UploadLinks links)
{
    public void Write(Utf8JsonWriter writer, string attachmentJson)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Attachment? attachment;
        try
        {
            attachment = JsonSerializer.Deserialize(attachmentJson, UploadJsonContext.Default.Attachment);
        }
        catch (JsonException)
        {
            attachment = null;
        }
        if (attachment is null || !UploadPaths.IsValidId(attachment.Id))
        {
            // Not one of ours (or from an older format): passed on as stored, without links.
            writer.WriteRawValue(attachmentJson, skipInputValidation: true);
            return;
        }
        writer.WriteStartObject();
        writer.WriteString("id"u8, attachment.Id);
        writer.WriteString("name"u8, attachment.Name);
        writer.WriteNumber("size"u8, attachment.Size);
        writer.WriteString("contentType"u8, attachment.ContentType);
        writer.WriteString("url"u8, links.FileUrl(attachment.Id));
        if (attachment is { Width: { } width, Height: { } height })
        {
            writer.WriteNumber("width"u8, width);
            writer.WriteNumber("height"u8, height);
            writer.WriteString("thumbnailUrl"u8, links.ThumbnailUrl(attachment.Id));
        }
        if (attachment.DurationSeconds is { } duration)
        {
            writer.WriteNumber("durationSeconds"u8, duration);
        }
        writer.WriteEndObject();
    }
}
