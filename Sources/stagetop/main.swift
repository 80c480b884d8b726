print("stagetop")
