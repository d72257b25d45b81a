using Kefu.Core.Storage;

namespace Kefu.Server.Conversations;

internal enum SendStatus
{
    Stored,
    Duplicate,
    NotFound,
    Forbidden,
    Closed,
    Invalid,
}

internal sealed record SendResult(SendStatus Status, StoredMessage? Message = null, string? Error = null)
{
    public bool Acked => Status is SendStatus.Stored or SendStatus.Duplicate;
}
