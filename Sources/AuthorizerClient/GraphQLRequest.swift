import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

struct GraphQLRequest: Encodable {
    var query: String
    var variables: [String: JSONValue]
}
