using Kefu.Core.Storage;
using Kefu.Server.Auth;

namespace Kefu.Server.Uploads;

/// <summary>
/// Who may touch an upload: only its uploader writes it; the uploader and its tenant's agents read it (and the
/// participants of a conversation it was sent in, see <see cref="UploadDownload"/>).
/// </summary>
internal static class UploadAccess
{
    public static bool CanWrite(Caller caller, StoredUpload record) =>
        caller.UserId == record.OwnerId && caller.TenantId == record.TenantId;

    public static bool CanRead(Caller caller, StoredUpload record) =>
        CanWrite(caller, record) || (caller.IsAgent && caller.TenantId == record.TenantId);
}
