namespace Kefu.Server.Routing;

internal enum RoutingActionResult
{
    Done,
    NotFound,
    Forbidden,
    Conflict,
    BadRequest,
}
