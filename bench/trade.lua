-- wrk trades as `stocknet bench --wrk` sends them (src/StockNet.LoadClient/Bench/WrkCrossCheck.cs): each a new order with its own
-- Idempotency-Key, a sell of one share and then its buy-back, stock after stock, so none is refused for lack of stock.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local stocks = { "APPL", "GOOG", "MSFT", "AMZN", "TSLA" }
local n = 0
local run = tostring(os.time())
request = function()
  n = n + 1
  local stock = stocks[(math.floor((n - 1) / 2) % #stocks) + 1]
  local side = (n % 2 == 1) and "sell" or "buy"
  local headers = { ["Content-Type"] = "application/json", ["Idempotency-Key"] = "wrk-" .. run .. "-" .. id .. "-" .. n }
  return wrk.format("POST", nil, headers, '{"name":"' .. stock .. '","type":"' .. side .. '","quantity":1}')
end
