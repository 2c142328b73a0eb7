"""The screens of the terminal wallet.  Screens call the service only through the app's runner."""
